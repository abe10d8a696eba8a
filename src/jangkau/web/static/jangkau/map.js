/* The regency map: village polygons coloured by status, kecamatan outlines, filters, search.
   Data come from the GeoJSON views; no tiles are loaded unless a tile URL is configured,
   so the map works offline. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  if (!el || typeof L === "undefined") { return; }
  var map = L.map(el, { preferCanvas: false, zoomSnap: 0.25 });
  window.jangkauMap = map;
  if (el.dataset.tileUrl) {
    L.tileLayer(el.dataset.tileUrl, { maxZoom: 18, attribution: "" }).addTo(map);
  }
  var villageLayer = null;
  var kecLayer = null;
  var byCode = {};
  var filters = { kecamatan: "", status: "", q: "" };

  function matches(p) {
    if (filters.kecamatan && p.kec !== filters.kecamatan) { return false; }
    if (filters.status && p.status !== filters.status) { return false; }
    if (filters.q) {
      var q = filters.q.toLowerCase();
      if (p.name.toLowerCase().indexOf(q) === -1 && p.code.indexOf(filters.q) !== 0) { return false; }
    }
    return true;
  }

  function style(feature) {
    var show = matches(feature.properties);
    return {
      color: "#333", weight: 0.6, fillColor: feature.properties.colour,
      fillOpacity: show ? 0.75 : 0.08, opacity: show ? 0.9 : 0.2
    };
  }

  function label(p) {
    var pop = p.pop === null ? "–" : p.pop.toLocaleString(document.documentElement.lang || "id");
    var q = p.pop_q === "estimated" ? " (" + el.dataset.estimated + ")" : "";
    var span = document.createElement("span");
    span.textContent = p.name + " · " + p.kec_name + " · " + pop + " " + el.dataset.people + q;
    return span.outerHTML;
  }

  function refresh() {
    if (!villageLayer) { return; }
    villageLayer.setStyle(style);
    var shown = [];
    villageLayer.eachLayer(function (layer) {
      if (matches(layer.feature.properties)) { shown.push(layer); }
    });
    el.dataset.visible = String(shown.length);
    if (shown.length && (filters.kecamatan || filters.q || filters.status)) {
      map.fitBounds(L.featureGroup(shown).getBounds(), { maxZoom: 12, padding: [10, 10] });
    }
  }

  function wireFilters() {
    var k = document.getElementById("filter-kecamatan");
    var s = document.getElementById("filter-status");
    var q = document.getElementById("q");
    if (k) { k.addEventListener("change", function () { filters.kecamatan = k.value; refresh(); }); }
    if (s) { s.addEventListener("change", function () { filters.status = s.value; refresh(); }); }
    if (q) { q.addEventListener("input", function () { filters.q = q.value.trim(); refresh(); }); }
  }

  Promise.all([
    fetch(el.dataset.villages, { headers: { "Accept": "application/geo+json" } }).then(function (r) { return r.json(); }),
    fetch(el.dataset.kecamatan).then(function (r) { return r.json(); })
  ]).then(function (data) {
    villageLayer = L.geoJSON(data[0], {
      style: style,
      onEachFeature: function (feature, layer) {
        byCode[feature.properties.code] = layer;
        layer.bindTooltip(label(feature.properties), { sticky: true });
        layer.on("click", function () {
          window.location.href = el.dataset.villageUrl + encodeURIComponent(feature.properties.code) + "/";
        });
        if (layer.getElement) {
          layer.on("add", function () {
            var node = layer.getElement();
            if (node) {
              node.setAttribute("data-code", feature.properties.code);
              node.setAttribute("data-status", feature.properties.status);
              node.classList.add("village-shape");
            }
          });
        }
      }
    }).addTo(map);
    kecLayer = L.geoJSON(data[1], {
      style: { color: "#111", weight: 1.6, fill: false, interactive: false }
    }).addTo(map);
    map.fitBounds(villageLayer.getBounds(), { padding: [5, 5] });
    villageLayer.eachLayer(function (layer) {
      var node = layer.getElement && layer.getElement();
      if (node) {
        node.setAttribute("data-code", layer.feature.properties.code);
        node.setAttribute("data-status", layer.feature.properties.status);
        node.classList.add("village-shape");
      }
    });
    wireFilters();
    el.dataset.loaded = String(data[0].features.length);
  }).catch(function (err) {
    el.textContent = "Map data could not be loaded: " + err;
  });
})();
