// antd's Select renders its option list as a role=listbox without a name; axe counts that as a serious issue. Name
// each list after the combobox that controls it (whose label comes from the form).
export function nameListboxes(root: Document = document): void {
  const fix = () => {
    for (const box of root.querySelectorAll<HTMLElement>('[role="listbox"]:not([aria-label]):not([aria-labelledby])')) {
      const owner = box.id
        ? root.querySelector<HTMLElement>(
            `[aria-controls="${CSS.escape(box.id)}"], [aria-owns="${CSS.escape(box.id)}"]`,
          )
        : null;
      box.setAttribute('aria-label', owner?.getAttribute('aria-label') ?? '选项');
    }
  };
  new MutationObserver(fix).observe(root.body, { childList: true, subtree: true });
  fix();
}
