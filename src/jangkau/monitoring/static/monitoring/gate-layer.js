/* The stability gate ("siap / belum siap") as a layer on the regency map.
   Needs Leaflet and map.js (which exposes the map as window.jangkauMap). Include after map.js:
   <script src=".../monitoring/gate-layer.js" data-url="/api/monitoring/gate.geojson"
           data-title="..." data-show="1"></script>
   data-show="1" shows the layer at once; otherwise it is listed, unticked, in a layer control.
   Text comes from data-* attributes (translated by the server); values are inserted as text. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || typeof L === "undefined") { return; }
  var opts = script.dataset;

  function fmt(value, unit, digits) {
    if (value === null || value === undefined) { return "–"; }
    return Number(value).toFixed(digits) + " " + unit;
  }

  function tooltip(p) {
    var box = document.createElement("div");
    var head = document.createElement("strong");
    head.textContent = p.name + " · " + p.label;
    box.appendChild(head);
    var lines = [
      (opts.availability || "availability") + " " + fmt(p.availability_pct, "%", 2),
      (opts.loss || "loss") + " " + fmt(p.loss_pct, "%", 2) + " · p95 " + fmt(p.p95_ms, "ms", 0),
      (opts.targets || "targets ready") + " " + p.targets_ready + "/" + p.targets
    ];
    lines.forEach(function (text) {
      var line = document.createElement("div");
      line.textContent = text;
      box.appendChild(line);
    });
    return box;
  }

  function attach(map) {
    // Its own pane above the overlay pane: map.js adds the status layer asynchronously and
    // would otherwise paint over the gate colours.
    if (!map.getPane("jangkauGate")) {
      map.createPane("jangkauGate");
      map.getPane("jangkauGate").style.zIndex = 450;
    }
    fetch(opts.url, { headers: { "Accept": "application/geo+json" } })
      .then(function (r) { return r.json(); })
      .then(function (data) {
        var layer = L.geoJSON(data, {
          pane: "jangkauGate",
          style: function (f) {
            return { color: "#222", weight: 0.7, fillColor: f.properties.colour, fillOpacity: 0.7 };
          },
          onEachFeature: function (f, l) {
            l.bindTooltip(tooltip(f.properties), { sticky: true });
            if (opts.villageUrl) {
              l.on("click", function () {
                window.location.href = opts.villageUrl + encodeURIComponent(f.properties.code) + "/";
              });
            }
            l.on("add", function () {
              var node = l.getElement && l.getElement();
              if (node) {
                node.setAttribute("data-gate", f.properties.gate);
                node.setAttribute("data-code", f.properties.code);
                node.classList.add("gate-shape");
              }
            });
          }
        });
        var title = opts.title || "Stability gate";
        if (window.jangkauOverlays) {
          window.jangkauOverlays.add(map, layer, title);
        } else {
          L.control.layers(null, { [title]: layer }, { collapsed: false }).addTo(map);
        }
        if (opts.show === "1") { layer.addTo(map); }
        window.jangkauGateLayer = layer;
        map.getContainer().dataset.gateLoaded = String(data.features.length);
      })
      .catch(function (err) {
        map.getContainer().dataset.gateError = String(err);
      });
  }

  if (window.jangkauMap) {
    attach(window.jangkauMap);
  } else {
    document.addEventListener("DOMContentLoaded", function () {
      if (window.jangkauMap) { attach(window.jangkauMap); }
    });
  }
})();
