/* Lapor Sinyal: place the pin by tapping the map or with the phone's location. The pin fills the
   latitude/longitude fields of the form (which also work alone, without JavaScript); a change
   of those fields makes htmx ask the server which village the point is in. */
(function () {
  "use strict";
  var lat = document.getElementById("id_latitude");
  var lon = document.getElementById("id_longitude");
  var method = document.getElementById("id_location_method");
  if (!lat || !lon) { return; }
  var el = document.getElementById("lapor-map");
  var gps = document.getElementById("use-gps");
  var gpsStatus = document.getElementById("gps-status");
  var map = null;
  var marker = null;

  Array.prototype.forEach.call(document.querySelectorAll(".js-only"), function (node) {
    node.hidden = false;
  });

  function number(input) {
    var value = parseFloat(String(input.value).replace(",", "."));
    return isFinite(value) ? value : null;
  }

  function showPin(latitude, longitude, zoom) {
    if (!map) { return; }
    var where = L.latLng(latitude, longitude);
    if (marker) { marker.setLatLng(where); } else { marker = L.marker(where).addTo(map); }
    if (zoom) { map.setView(where, Math.max(map.getZoom(), zoom)); }
  }

  function setPoint(latitude, longitude, how, zoom) {
    lat.value = latitude.toFixed(6);
    lon.value = longitude.toFixed(6);
    if (method) { method.value = how; }
    showPin(latitude, longitude, zoom);
    lat.dispatchEvent(new Event("change", { bubbles: true }));
  }

  function typed() {
    if (method) { method.value = "typed"; }
    var a = number(lat);
    var b = number(lon);
    if (a !== null && b !== null) { showPin(a, b, 12); }
  }
  lat.addEventListener("input", typed);
  lon.addEventListener("input", typed);

  if (gps && navigator.geolocation) {
    gps.hidden = false;
    gps.addEventListener("click", function () {
      gpsStatus.textContent = gps.dataset.locating;
      navigator.geolocation.getCurrentPosition(function (position) {
        gpsStatus.textContent = "";
        setPoint(position.coords.latitude, position.coords.longitude, "gps", 13);
      }, function () {
        gpsStatus.textContent = gps.dataset.failed;
      }, { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
    });
  }

  if (!el || typeof L === "undefined") { return; }
  el.hidden = false;
  map = L.map(el, { zoomSnap: 0.25 });
  window.jangkauLaporMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "" }).addTo(map);
  }
  map.setView([1.0, 117.6], 7);
  map.on("click", function (event) { setPoint(event.latlng.lat, event.latlng.lng, "map"); });

  fetch(el.dataset.villages, { headers: { "Accept": "application/geo+json" } })
    .then(function (response) { return response.json(); })
    .then(function (data) {
      // Neutral shapes: the current status is not shown, so as not to suggest an answer.
      var villages = L.geoJSON(data, {
        interactive: false,
        style: { color: "#555", weight: 0.7, fillColor: "#fdfdf6", fillOpacity: 0.6 }
      }).addTo(map);
      map.fitBounds(villages.getBounds(), { padding: [5, 5] });
      var a = number(lat);
      var b = number(lon);
      if (a !== null && b !== null) { showPin(a, b, 12); }
      el.dataset.loaded = String(data.features.length);
    })
    .catch(function () {
      el.dataset.loaded = "0";
    });
})();
