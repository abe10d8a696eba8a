/* The plan as a layer on the project map (window.jangkauMap, set up by jangkau/map.js).

   The map container's data attributes configure it: data-plan-url (the plan's GeoJSON),
   data-label-layer, data-label-year, data-label-kind. Villages in the plan are filled by the
   year they are first served (or by intervention, with the switch in the legend); new towers
   are dots, upgraded towers squares, fiber extensions orange lines, microwave hops dashed.
   The container gets data-plan-features=<n> once the layer is drawn. */
(function () {
  "use strict";
  var el = document.getElementById("map");
  var map = window.jangkauMap;
  if (!el || !map || !el.dataset.planUrl || typeof L === "undefined") { return; }
  var colourBy = "year";
  // A pane of its own keeps the plan above the status layer, whichever loads first.
  var pane = map.createPane("plan");
  pane.style.zIndex = 450;

  function fill(p) { return colourBy === "year" ? p.colour : p.kind_colour; }

  function text(value) {
    var span = document.createElement("span");
    span.textContent = value === null || value === undefined ? "" : String(value);
    return span.innerHTML;
  }

  function style(feature) {
    var p = feature.properties;
    if (p.feature === "backhaul") {
      return { color: p.kind === "fiber" ? "#ef6c00" : "#00838f", weight: 2.5,
               dashArray: p.kind === "microwave" ? "6 4" : null };
    }
    return { color: "#111", weight: 1.2, fillColor: fill(p), fillOpacity: 0.8 };
  }

  function popup(p) {
    if (p.feature === "village") {
      return "<strong>" + text(p.name) + "</strong> (" + text(p.kecamatan) + ")<br>" +
        text(p.year) + ": " + text(p.kind_label) + "<br><small>" + text(p.explanation) + "</small>";
    }
    if (p.feature === "site") {
      return "<strong>" + text(p.label) + "</strong><br>" + text(p.year) + ": " + text(p.kind_label);
    }
    return text(p.kind) + " " + text(p.length_km) + " km (" + text(p.year) + ")";
  }

  fetch(el.dataset.planUrl, { headers: { "Accept": "application/geo+json" } })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        pane: "plan",
        style: style,
        pointToLayer: function (feature, latlng) {
          var p = feature.properties;
          if (p.kind === "upgrade_site") {
            return L.marker(latlng, { icon: L.divIcon({ className: "plan-square",
              html: '<span style="display:block;width:10px;height:10px;border:1px solid #fff;background:' +
                fill(p) + '"></span>', iconSize: [10, 10] }) });
          }
          return L.circleMarker(latlng, { pane: "plan", radius: 5, color: "#fff", weight: 1,
                                          fillColor: fill(p), fillOpacity: 1 });
        },
        onEachFeature: function (feature, layer) {
          layer.bindPopup(popup(feature.properties));
        }
      }).addTo(map);

      var keys = document.createElement("div");
      function drawKeys() {
        var seen = {};
        var entries = [];
        data.features.forEach(function (f) {
          var p = f.properties;
          if (p.feature !== "village") { return; }
          var label = colourBy === "year" ? String(p.year) : p.kind_label;
          if (!seen[label]) { seen[label] = true; entries.push([label, fill(p)]); }
        });
        entries.sort(function (a, b) { return a[0] < b[0] ? -1 : 1; });
        keys.textContent = "";
        entries.forEach(function (entry) {
          var row = document.createElement("div");
          var swatch = document.createElement("span");
          swatch.className = "swatch";
          swatch.style.background = entry[1];
          row.appendChild(swatch);
          row.appendChild(document.createTextNode(entry[0]));
          keys.appendChild(row);
        });
      }
      var control = L.control({ position: "bottomleft" });
      control.onAdd = function () {
        var div = L.DomUtil.create("div", "plan-legend");
        var title = document.createElement("strong");
        title.textContent = el.dataset.labelLayer || "Plan";
        div.appendChild(title);
        [["year", el.dataset.labelYear || "by year"], ["kind", el.dataset.labelKind || "by intervention"]]
          .forEach(function (entry) {
            var label = document.createElement("label");
            label.style.display = "block";
            var input = document.createElement("input");
            input.type = "radio";
            input.name = "plan-colour";
            input.value = entry[0];
            input.checked = entry[0] === colourBy;
            input.addEventListener("change", function () {
              colourBy = input.value;
              layer.setStyle(style);
              drawKeys();
              layer.eachLayer(function (l) {
                if (l.setStyle && l.feature.geometry.type === "Point") {
                  l.setStyle({ fillColor: fill(l.feature.properties) });
                }
              });
            });
            label.appendChild(input);
            label.appendChild(document.createTextNode(" " + entry[1]));
            div.appendChild(label);
          });
        drawKeys();
        div.appendChild(keys);
        L.DomEvent.disableClickPropagation(div);
        return div;
      };
      control.addTo(map);
      window.jangkauPlanLayer = layer;
      el.dataset.planFeatures = String(data.features.length);
    })
    .catch(function (err) {
      el.dataset.planFeatures = "error";
      if (window.console) { window.console.error("plan layer:", err); }
    });
})();
