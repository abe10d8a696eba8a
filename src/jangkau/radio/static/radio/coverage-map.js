/* The coverage page's map (#coverage-map): village and kecamatan outlines, a click that places
   a proposed site (fills the latitude/longitude fields of the what-if form), and the footprint
   of the proposed site once the server has predicted it (#whatif-result carries its image URL
   and bounds). Exposes the map as window.jangkauMap for coverage-layer.js. Works offline: tiles
   only when a tile URL is configured. */
(function () {
  "use strict";
  var el = document.getElementById("coverage-map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { zoomSnap: 0.25 });
  window.jangkauMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "" }).addTo(map);
  }
  map.setView([1.0, 117.4], 8);
  var marker = null;
  var footprint = null;

  function field(name) {
    var form = document.getElementById("proposed-site-form");
    return form ? form.querySelector("[name='" + name + "']") : null;
  }

  function place(latlng) {
    if (marker) { marker.setLatLng(latlng); } else {
      marker = L.circleMarker(latlng, { radius: 7, color: "#111", weight: 2, fillColor: "#fff", fillOpacity: 1 }).addTo(map);
      var node = marker.getElement && marker.getElement();
      if (node) { node.setAttribute("data-proposed-marker", "1"); }
    }
  }

  map.on("click", function (e) {
    var lat = field("lat");
    var lon = field("lon");
    if (!lat || !lon) { return; }
    lat.value = e.latlng.lat.toFixed(5);
    lon.value = e.latlng.lng.toFixed(5);
    place(e.latlng);
    el.dataset.clicked = lat.value + "," + lon.value;
    var name = field("name");
    if (name && !name.value) { name.focus(); }
  });

  function showFootprint() {
    var result = document.getElementById("whatif-result");
    if (!result || !result.dataset.overlayUrl) { return; }
    var bounds = JSON.parse(result.dataset.bounds);
    if (footprint) { map.removeLayer(footprint); }
    footprint = L.imageOverlay(result.dataset.overlayUrl, bounds, {
      opacity: 0.9, className: "footprint-overlay", interactive: false
    }).addTo(map);
    if (result.dataset.lat && result.dataset.lon) {
      place(L.latLng(parseFloat(result.dataset.lat), parseFloat(result.dataset.lon)));
    }
    map.fitBounds(bounds, { padding: [10, 10] });
    el.dataset.footprint = result.dataset.site || "1";
  }

  document.body.addEventListener("htmx:afterSwap", showFootprint);

  Promise.all([
    fetch(el.dataset.villages).then(function (r) { return r.json(); }),
    fetch(el.dataset.kecamatan).then(function (r) { return r.json(); })
  ]).then(function (data) {
    var villages = L.geoJSON(data[0], {
      style: { color: "#444", weight: 0.6, fill: false, opacity: 0.7 }, interactive: false
    }).addTo(map);
    L.geoJSON(data[1], { style: { color: "#111", weight: 1.4, fill: false }, interactive: false }).addTo(map);
    if (!document.getElementById("whatif-result")) {
      map.fitBounds(villages.getBounds(), { padding: [5, 5] });
    }
    el.dataset.loaded = String(data[0].features.length);
  }).catch(function (err) {
    el.dataset.error = String(err);
  });
  showFootprint();
})();
