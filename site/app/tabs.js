// The demos as tabs: one section shown at a time, chosen by its tab or by
// the URL's #fragment (so a demo can be linked to), with the arrow keys
// moving between tabs as the ARIA tabs pattern describes.

export function setupTabs(nav) {
  const tabs = [...nav.querySelectorAll("[role=tab]")];
  const panel = (tab) => document.getElementById(tab.getAttribute("aria-controls"));

  function select(tab, focus = false) {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      panel(t).hidden = !on;
    }
    if (focus) tab.focus();
  }

  nav.addEventListener("click", (e) => {
    const tab = e.target.closest("[role=tab]");
    if (!tab) return;
    select(tab);
    history.replaceState(null, "", `#${tab.getAttribute("aria-controls")}`);
  });
  nav.addEventListener("keydown", (e) => {
    const i = tabs.indexOf(document.activeElement);
    if (i < 0) return;
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: tabs.length - 1 }[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(tabs[(to + tabs.length) % tabs.length], true);
  });
  const fromHash = () => tabs.find((t) => `#${t.getAttribute("aria-controls")}` === location.hash);
  window.addEventListener("hashchange", () => fromHash() && select(fromHash()));
  select(fromHash() ?? tabs[0]);
}
