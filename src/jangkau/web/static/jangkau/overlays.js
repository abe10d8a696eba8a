/* One layer switcher per map for all the overlays a page adds (inventory, predicted coverage,
   speed tests, stability gate), instead of one Leaflet control per module. A module calls
   window.jangkauOverlays.add(map, layer, title); the switcher is folded on narrow screens.
   Load it after Leaflet and before the modules. */
(function () {
  "use strict";
  if (typeof L === "undefined") { return; }
  var switchers = [];

  function switcherFor(map) {
    for (var i = 0; i < switchers.length; i++) {
      if (switchers[i].map === map) { return switchers[i].control; }
    }
    var control = L.control.layers(null, null, {
      collapsed: window.innerWidth < 700, position: "topright"
    }).addTo(map);
    control.getContainer().setAttribute("data-overlay-switcher", "");
    switchers.push({ map: map, control: control });
    return control;
  }

  window.jangkauOverlays = {
    add: function (map, layer, title) {
      switcherFor(map).addOverlay(layer, title);
      return layer;
    }
  };
})();
