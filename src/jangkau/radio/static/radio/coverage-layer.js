/* Predicted coverage as a toggleable layer on a Jangkau map (window.jangkauMap).

   Include with the script tag of templates/radio/_coverage_layer.html. Configuration comes from
   the tag's data attributes, with working defaults:
     data-latest-url   API giving the latest run ({overlay_url, bounds, thresholds_dbm, ...})
     data-overlay-url, data-bounds, data-run, data-good, data-weak
                       a given run instead of fetching the latest one
     data-show="1"     show the layer at once (the home page leaves it off)
     data-label, data-label-good, data-label-weak, data-label-below, data-label-note
   The map container gets data-coverage-run=<id> once the layer is ready, or
   data-coverage-run="none" when no run has finished yet. */
(function () {
  "use strict";
  var script = document.currentScript || document.querySelector("script[data-coverage-layer]");
  var cfg = (script && script.dataset) || {};
  var labels = {
    layer: cfg.label || "Predicted coverage (model)",
    good: cfg.labelGood || "good",
    weak: cfg.labelWeak || "weak",
    below: cfg.labelBelow || "below weak",
    note: cfg.labelNote || "Predicted, not observed. Transparent: no predicted signal."
  };
  var COLOURS = { good: "rgba(46,125,50,0.67)", weak: "rgba(249,168,37,0.67)", below: "rgba(198,40,40,0.27)" };

  function legend(map, run) {
    var control = L.control({ position: "bottomleft" });
    control.onAdd = function () {
      var div = L.DomUtil.create("div", "coverage-legend");
      div.id = "coverage-legend";
      div.style.cssText = "background:#fff;padding:.35rem .5rem;border-radius:4px;font-size:.8rem;" +
        "line-height:1.35;box-shadow:0 1px 4px rgba(0,0,0,.3);max-width:15rem";
      var title = document.createElement("strong");
      title.textContent = labels.layer;
      div.appendChild(title);
      var good = run.thresholds_dbm.good;
      var weak = run.thresholds_dbm.weak;
      var floor = weak - 10;
      [["good", labels.good + " ≥ " + good + " dBm"],
       ["weak", labels.weak + " ≥ " + weak + " dBm"],
       ["below", labels.below + " (" + floor + " … " + weak + " dBm)"]].forEach(function (entry) {
        var row = document.createElement("div");
        var swatch = document.createElement("span");
        swatch.style.cssText = "display:inline-block;width:.9rem;height:.9rem;margin-right:.35rem;" +
          "vertical-align:-2px;border:1px solid rgba(0,0,0,.25)";
        swatch.style.background = COLOURS[entry[0]];
        row.appendChild(swatch);
        row.appendChild(document.createTextNode(entry[1]));
        div.appendChild(row);
      });
      var note = document.createElement("div");
      note.style.cssText = "color:#555;margin-top:.2rem";
      note.textContent = labels.note;
      div.appendChild(note);
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return control;
  }

  function start(map, run) {
    var container = map.getContainer();
    if (!run || !run.overlay_url || !run.bounds) {
      container.setAttribute("data-coverage-run", "none");
      return;
    }
    var layer = L.imageOverlay(run.overlay_url, run.bounds, {
      opacity: 0.85, className: "coverage-overlay", interactive: false
    });
    var key = legend(map, run);
    layer.on("add", function () {
      key.addTo(map);
      var img = layer.getElement();
      if (img) { img.setAttribute("data-run", String(run.id)); }
    });
    layer.on("remove", function () { key.remove(); });
    if (window.jangkauOverlays) {
      window.jangkauOverlays.add(map, layer, labels.layer);
    } else {
      L.control.layers(null, { [labels.layer]: layer }, { collapsed: false }).addTo(map);
    }
    window.jangkauCoverageLayer = layer;
    if (cfg.show === "1") { layer.addTo(map); }
    container.setAttribute("data-coverage-run", String(run.id));
  }

  function load(map) {
    if (cfg.overlayUrl && cfg.bounds) {
      start(map, {
        id: cfg.run || "",
        overlay_url: cfg.overlayUrl,
        bounds: JSON.parse(cfg.bounds),
        thresholds_dbm: { good: parseFloat(cfg.good || "-105"), weak: parseFloat(cfg.weak || "-115") }
      });
      return;
    }
    fetch(cfg.latestUrl || "/api/coverage/runs/latest", { headers: { "Accept": "application/json" } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (run) { start(map, run); })
      .catch(function () { map.getContainer().setAttribute("data-coverage-run", "none"); });
  }

  function whenMapReady(tries) {
    if (typeof L !== "undefined" && window.jangkauMap) { load(window.jangkauMap); return; }
    if (tries > 0) { window.setTimeout(function () { whenMapReady(tries - 1); }, 100); }
  }
  whenMapReady(50);
})();
