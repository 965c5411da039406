/* troopmap view: what extensions (timeline, unit symbols, keyboard navigation) may do with a
 * drawn map, without knowing how it was drawn. */

import { el } from "./dom.js";
import { say } from "./words.js";
import { measure, curveOf, labelPoint } from "./model.js";
import { POPUP_OPTIONS, movementPopup } from "./popups.js";
import { toLatLng } from "./vector.js";

export function makeView(map, state, painter, groups) {
  var data = state.data, movements = state.movements, count = movements.count;
  var shown = new Uint8Array(count).fill(1);
  var extras = []; // extras[i]: layers added to movement i by an extension
  var dock = null;
  var anchors = null; // anchors[i]: the flow or station that draws movement i

  function flowsShown() {
    return state.flows.filter(function (flow) { return flow.visible > 0; }).length;
  }

  function anchorOf(i) {
    if (!anchors) {
      anchors = new Array(count);
      state.stations.concat(state.flows).forEach(function (item) {
        for (var j = item.m; j < item.m + item.k; j++) anchors[j] = item;
      });
    }
    return anchors[i];
  }

  var view = {
    map: map,
    data: data,
    model: state,
    canvas: painter.canvas || null,
    count: count,
    movement: function (i) { return movements.get(i); },
    /* The panel (bottom left, before the map in the tab order) that holds the controls. */
    dock: function () {
      if (!dock) {
        dock = el("section", "tm-dock");
        dock.setAttribute("aria-label", say(data.words, "mapControls"));
        map.getContainer().parentNode.insertBefore(dock, map.getContainer());
      }
      return dock;
    },
    add: function (i, layer) {
      (extras[i] = extras[i] || []).push(layer);
      if (shown[i]) layer.addTo(groups[movements.actor[i]]);
    },
    /* Show only the movements for which keep(i) is true: each flow is as wide as its visible
     * movements' total; a flow with none is hidden. planned(i), if given, says which are
     * drawn as planned. */
    show: function (keep, planned) {
      var all = true;
      for (var i = 0; i < count; i++) {
        var visible = keep(i) ? 1 : 0;
        all = all && visible === 1;
        if (visible !== shown[i] && extras[i]) {
          var group = groups[movements.actor[i]];
          extras[i].forEach(function (layer) {
            if (visible) group.addLayer(layer); else group.removeLayer(layer);
          });
        }
        shown[i] = visible;
      }
      state.filter = all ? null : function (j) { return shown[j] === 1; };
      state.planned = planned || null;
      measure(state);
      painter.refresh();
      map.closePopup();
      map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
      map.fire("troopmapshow"); // labels.js places the labels again
    },
    isShown: function (i) { return shown[i] === 1 && map.hasLayer(groups[movements.actor[i]]); },
    /* Open movement i's popup where it is drawn; options may widen the popup's pan padding
     * (autoPanPadding...). */
    openPopup: function (i, options) {
      var item = anchorOf(i);
      if (!item || !view.isShown(i)) return false;
      var at = item.at || labelPoint(curveOf(item), item.kind);
      L.popup(L.Util.extend({}, POPUP_OPTIONS, options || {}))
        .setLatLng(toLatLng(at)).setContent(movementPopup(movements.get(i), item.place, data.words)).openOn(map);
      return true;
    },
  };
  map.getContainer().setAttribute("data-tm-shown", String(flowsShown()));
  return view;
}

