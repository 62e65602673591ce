// The scene strip: cards in a row; drag one onto another to move it there; click to select.
function render({ model, el }) {
  const strip = document.createElement("div");
  strip.className = "p2v-strip";
  el.appendChild(strip);
  let dragged = null;

  function draw() {
    strip.replaceChildren();
    const scenes = model.get("scenes");
    scenes.forEach((scene, index) => {
      const card = document.createElement("div");
      card.className = "p2v-card";
      if (index === model.get("selected")) card.classList.add("p2v-selected");
      if (scene.changed) card.classList.add("p2v-changed");
      card.draggable = true;
      card.dataset.id = scene.id;
      card.title = "Drag to reorder; click to select";
      const number = document.createElement("div");
      number.className = "p2v-number";
      number.textContent = String(index + 1);
      const title = document.createElement("div");
      title.className = "p2v-title";
      title.textContent = scene.title;
      const meta = document.createElement("div");
      meta.className = "p2v-meta";
      meta.textContent = `${Math.round(scene.seconds)} s · ${scene.layout}` + (scene.changed ? " · changed" : "");
      card.append(number, title, meta);
      card.addEventListener("click", () => {
        model.set("selected", index);
        model.save_changes();
      });
      card.addEventListener("dragstart", (event) => {
        dragged = scene.id;
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", scene.id);
      });
      card.addEventListener("dragover", (event) => {
        event.preventDefault();
        card.classList.add("p2v-over");
      });
      card.addEventListener("dragleave", () => card.classList.remove("p2v-over"));
      card.addEventListener("drop", (event) => {
        event.preventDefault();
        card.classList.remove("p2v-over");
        if (dragged === null || dragged === scene.id) return;
        const ids = scenes.map((s) => s.id).filter((id) => id !== dragged);
        ids.splice(ids.indexOf(scene.id) + (index > scenes.findIndex((s) => s.id === dragged) ? 1 : 0), 0, dragged);
        dragged = null;
        model.set("order", ids);
        model.save_changes();
      });
      strip.appendChild(card);
    });
  }

  model.on("change:scenes", draw);
  model.on("change:selected", draw);
  draw();
}

export default { render };
