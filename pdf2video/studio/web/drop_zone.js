// Files dropped (or picked) go to Python as one message, their bytes as binary buffers.
function render({ model, el }) {
  const zone = document.createElement("div");
  zone.className = "p2v-drop";
  zone.textContent = model.get("label");
  const input = document.createElement("input");
  input.type = "file";
  input.multiple = true;
  input.accept = model.get("accept");
  input.style.display = "none";
  zone.appendChild(input);
  el.appendChild(zone);

  async function send(files) {
    const limit = model.get("max_bytes");
    const kept = [...files].filter((f) => f.size <= limit);
    if (kept.length < files.length) zone.dataset.refused = String(files.length - kept.length);
    const buffers = await Promise.all(kept.map((f) => f.arrayBuffer()));
    model.send({ kind: "files", names: kept.map((f) => f.name) }, undefined, buffers);
  }

  zone.addEventListener("click", () => input.click());
  input.addEventListener("change", () => send(input.files));
  zone.addEventListener("dragover", (e) => { e.preventDefault(); zone.classList.add("p2v-hover"); });
  zone.addEventListener("dragleave", () => zone.classList.remove("p2v-hover"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.classList.remove("p2v-hover");
    send(e.dataTransfer.files);
  });
  model.on("change:label", () => { zone.firstChild.textContent = model.get("label"); });
}

export default { render };
