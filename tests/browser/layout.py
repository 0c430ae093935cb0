"""Layout checks the browser tests share: controls that wrap onto a line alone."""

from __future__ import annotations

CONTROLS_ALONE = """selector => {
  const alone = [];
  for (const box of document.querySelectorAll(selector)) {
    const picked = ':scope > button, :scope > a.button';
    const controls = [...box.querySelectorAll(picked)].filter(c => c.checkVisibility());
    const lines = new Map();
    for (const c of controls) {
      const top = Math.round(c.getBoundingClientRect().top);
      lines.set(top, [...(lines.get(top) || []), c]);
    }
    if (lines.size > 1) {
      for (const line of lines.values()) {
        if (line.length === 1) alone.push(line[0].textContent || line[0].name);
      }
    }
  }
  return alone;
}"""


def controls_alone(page, containers: str) -> list[str]:
    """Each visible button (or link styled as one) directly in one of ``containers`` that
    sits on a line of its own while the others of its row share another line."""
    return page.evaluate(CONTROLS_ALONE, containers)
