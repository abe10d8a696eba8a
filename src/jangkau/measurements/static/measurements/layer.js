/* Speed tests on the home map: points where sparse, 2 km hexagons with counts and medians where
   dense (the server decides, see /api/measurements/speedtests.geojson). Off at first; fetched the
   first time it is shown. Colour by (median) download speed against the status thresholds of
   docs/status-engine.md: >= 10 Mbit/s green, >= 5 yellow, below red. Needs window.jangkauMap. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-measurement-layer]");
  var cfg = (script && script.dataset) || {};
  var map = window.jangkauMap;
  if (!map || typeof L === "undefined") { return; }
  var url = cfg.url || "/api/measurements/speedtests.geojson";
  var title = cfg.title || "Speed tests";
  var layer = L.featureGroup();
  var loaded = false;

  function colour(mbps) {
    if (mbps === null || mbps === undefined) { return "#9e9e9e"; }
    if (mbps >= 10) { return "#2e7d32"; }
    if (mbps >= 5) { return "#f9a825"; }
    return "#c62828";
  }

  function label(p) {
    var span = document.createElement("span");
    if (p.count !== undefined) {
      span.textContent = p.count + " × · median " + p.median_download_mbps + " / " +
        p.median_upload_mbps + " Mbit/s · " + p.median_latency_ms + " ms";
    } else {
      span.textContent = p.measured_at.slice(0, 10) + " · " + (p.operator || "") + " " +
        (p.technology || "") + " · " + p.download_mbps + " Mbit/s · " + (p.tool || "");
    }
    return span.outerHTML;
  }

  function load() {
    if (loaded) { return; }
    loaded = true;
    fetch(url).then(function (r) { return r.json(); }).then(function (data) {
      L.geoJSON(data, {
        pointToLayer: function (feature, latlng) {
          return L.circleMarker(latlng, {
            radius: 5, weight: 1, color: "#fff",
            fillColor: colour(feature.properties.download_mbps), fillOpacity: 0.9
          });
        },
        style: function (feature) {
          return { weight: 1, color: "#555",
                   fillColor: colour(feature.properties.median_download_mbps), fillOpacity: 0.6 };
        },
        onEachFeature: function (feature, l) { l.bindTooltip(label(feature.properties)); }
      }).addTo(layer);
      map.getContainer().dataset.speedtests = String(data.features.length);
    });
  }

  map.on("overlayadd", function (e) { if (e.layer === layer) { load(); } });
  if (window.jangkauOverlays) {
    window.jangkauOverlays.add(map, layer, title);
  } else {
    L.control.layers(null, { [title]: layer }, { collapsed: true }).addTo(map);
  }
})();
