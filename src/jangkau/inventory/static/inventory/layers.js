/* Inventory layers on the home map: tower/BTS sites (colour by operator, marker by status),
   backhaul links (lines), public access points and facilities, each toggleable in a layer
   control. Needs Leaflet and the map made by jangkau/map.js (window.jangkauMap). A layer's
   GeoJSON is fetched the first time it is shown. URLs and labels come from this script tag's
   data attributes (see templates/inventory/_map_layers.html), with working defaults. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-inventory-layers]");
  var cfg = (script && script.dataset) || {};
  var urls = {
    sites: cfg.sites || "/api/inventory/sites.geojson",
    links: cfg.links || "/api/inventory/links.geojson",
    accessPoints: cfg.accessPoints || "/api/inventory/access-points.geojson",
    facilities: cfg.facilities || "/api/inventory/facilities.geojson"
  };
  var labels = {
    sites: cfg.labelSites || "Towers and BTS sites",
    links: cfg.labelLinks || "Backhaul links",
    accessPoints: cfg.labelAccessPoints || "Access points",
    facilities: cfg.labelFacilities || "Facilities",
    operators: cfg.labelOperators || "Operators",
    statuses: cfg.labelStatuses || "Site status"
  };
  var siteUrl = cfg.siteUrl || "/menara/";

  /* Marker style of a site by its status: solid when on air, faded and dashed when degraded,
     a thick hollow ring when down, dashed outlines while planned or being built. */
  var SITE_STYLES = {
    on_air: { radius: 7, weight: 1.5, color: "#ffffff", fillOpacity: 0.95 },
    degraded: { radius: 7, weight: 2, color: "#333333", dashArray: "3 2", fillOpacity: 0.55 },
    down: { radius: 7, weight: 3.5, useColourForLine: true, fillOpacity: 0.08 },
    building: { radius: 6, weight: 2, useColourForLine: true, dashArray: "5 3", fillOpacity: 0.3 },
    planned: { radius: 6, weight: 2, useColourForLine: true, dashArray: "2 3", fillOpacity: 0 },
    decommissioned: { radius: 4, weight: 1, color: "#757575", fillColour: "#757575", fillOpacity: 0.35 }
  };
  var LINK_DASH = { planned: "6 6", building: "3 5", degraded: "10 4", down: "2 6" };

  function siteStyle(p) {
    var s = SITE_STYLES[p.status] || SITE_STYLES.on_air;
    return {
      radius: s.radius,
      weight: s.weight,
      color: s.useColourForLine ? p.colour : s.color,
      fillColor: s.fillColour || p.colour,
      fillOpacity: s.fillOpacity,
      dashArray: s.dashArray || null,
      opacity: 1
    };
  }

  function text(parts) {
    var span = document.createElement("span");
    span.textContent = parts.filter(function (x) { return x !== null && x !== undefined && x !== ""; }).join(" · ");
    return span.outerHTML;
  }

  function tagElement(layer, kind, code, status) {
    layer.on("add", function () {
      var node = layer.getElement && layer.getElement();
      if (node) {
        node.setAttribute("data-inventory", kind);
        node.setAttribute("data-code", code);
        if (status) { node.setAttribute("data-status", status); }
      }
    });
  }

  function makeLayers() {
    return {
      sites: L.geoJSON(null, {
        pointToLayer: function (f, latlng) { return L.circleMarker(latlng, siteStyle(f.properties)); },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(text([p.name + " (" + p.code + ")", p.operator_name, p.status_label, (p.technologies || []).join("/"), p.village_name]));
          layer.on("click", function () { window.location.href = siteUrl + encodeURIComponent(p.code) + "/"; });
          tagElement(layer, "site", p.code, p.status);
        }
      }),
      links: L.geoJSON(null, {
        style: function (f) {
          var p = f.properties;
          return { color: p.colour, weight: 3, opacity: p.status === "decommissioned" ? 0.35 : 0.9, dashArray: LINK_DASH[p.status] || null };
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          var capacity = p.capacity_mbps ? p.capacity_mbps + " Mbps" : "";
          layer.bindTooltip(text([p.name || p.code, p.kind_label, p.length_km.toFixed(1) + " km", capacity, p.status_label]), { sticky: true });
          tagElement(layer, "link", p.code, p.status);
        }
      }),
      accessPoints: L.geoJSON(null, {
        pointToLayer: function (f, latlng) {
          var active = f.properties.status === "active" || f.properties.status === "degraded";
          return L.circleMarker(latlng, { radius: 5, weight: 2, color: "#004d40", fillColor: "#26a69a", fillOpacity: active ? 0.9 : 0.15 });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(text([p.name || p.code, p.kind_label, p.provider, p.status_label, p.village_name]));
          tagElement(layer, "access-point", p.code, p.status);
        }
      }),
      facilities: L.geoJSON(null, {
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 4, weight: 1, color: "#263238", fillColor: f.properties.colour, fillOpacity: 0.9 });
        },
        onEachFeature: function (f, layer) {
          var p = f.properties;
          layer.bindTooltip(text([p.name, p.kind_label, p.connected_label, p.village_name]));
          tagElement(layer, "facility", p.code, p.connected);
        }
      })
    };
  }

  function legend(map, sitesData) {
    var operators = {};
    var statuses = {};
    sitesData.features.forEach(function (f) {
      operators[f.properties.operator_name] = f.properties.colour;
      statuses[f.properties.status] = f.properties.status_label;
    });
    var control = L.control({ position: "bottomright" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "inventory-legend");
      div.id = "inventory-legend";
      // Inline so the legend reads well even without inventory.css.
      div.style.cssText = "background:#fff;padding:.35rem .5rem;border-radius:4px;font-size:.8rem;" +
        "line-height:1.3;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:14rem";
      function section(title, entries) {
        var strong = document.createElement("strong");
        strong.textContent = title;
        div.appendChild(strong);
        var ul = document.createElement("ul");
        ul.style.cssText = "list-style:none;margin:.15rem 0 .35rem;padding:0";
        entries.forEach(function (e) {
          var li = document.createElement("li");
          var mark = document.createElement("span");
          mark.className = "mark";
          mark.style.cssText = "display:inline-block;width:.8rem;height:.8rem;border-radius:50%;" +
            "margin-right:.3rem;vertical-align:-1px;border-width:2px";
          mark.style.background = e.fill;
          mark.style.borderColor = e.line;
          mark.style.borderStyle = e.dash ? "dashed" : "solid";
          mark.style.opacity = e.opacity;
          li.appendChild(mark);
          li.appendChild(document.createTextNode(e.label));
          ul.appendChild(li);
        });
        div.appendChild(ul);
      }
      section(labels.operators, Object.keys(operators).sort().map(function (name) {
        return { label: name, fill: operators[name], line: operators[name], opacity: 1 };
      }));
      section(labels.statuses, Object.keys(SITE_STYLES).filter(function (s) { return statuses[s]; }).map(function (s) {
        var st = siteStyle({ status: s, colour: "#607d8b" });
        return { label: statuses[s], fill: st.fillOpacity > 0.05 ? st.fillColor : "transparent", line: st.color, dash: !!st.dashArray, opacity: Math.max(st.fillOpacity, 0.6) };
      }));
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    control.addTo(map);
  }

  function start(map) {
    var layers = makeLayers();
    var loaded = {};
    window.jangkauInventoryLayers = layers;
    Object.keys(layers).forEach(function (name) {
      layers[name].on("add", function () {
        if (loaded[name]) { return; }
        loaded[name] = true;
        fetch(urls[name], { headers: { "Accept": "application/geo+json" } })
          .then(function (r) {
            if (!r.ok) { throw new Error(r.status + " " + r.statusText); }
            return r.json();
          })
          .then(function (data) {
            layers[name].addData(data);
            map.getContainer().setAttribute("data-inventory-" + name.toLowerCase(), String(data.features.length));
            if (name === "sites" && data.features.length) { legend(map, data); }
          })
          .catch(function (err) {
            loaded[name] = false;
            map.getContainer().setAttribute("data-inventory-error", name + ": " + err);
          });
      });
    });
    var overlays = [
      [labels.sites, layers.sites],
      [labels.links, layers.links],
      [labels.accessPoints, layers.accessPoints],
      [labels.facilities, layers.facilities]
    ];
    if (window.jangkauOverlays) {
      overlays.forEach(function (o) { window.jangkauOverlays.add(map, o[1], o[0]); });
    } else {
      var own = {};
      overlays.forEach(function (o) { own[o[0]] = o[1]; });
      L.control.layers(null, own, { collapsed: window.innerWidth < 700 }).addTo(map);
    }
    layers.links.addTo(map);
    layers.accessPoints.addTo(map);
    layers.sites.addTo(map);
    if (cfg.showFacilities === "1") { layers.facilities.addTo(map); }
  }

  function whenMapReady(tries) {
    if (typeof L !== "undefined" && window.jangkauMap) { start(window.jangkauMap); return; }
    if (tries > 0) { window.setTimeout(function () { whenMapReady(tries - 1); }, 100); }
  }
  whenMapReady(50);
})();
