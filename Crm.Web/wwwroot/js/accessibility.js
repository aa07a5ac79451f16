// MudBlazor renders some icon buttons of its inputs without a name — the clear button of a text field, the arrow of an
// autocomplete: each, whenever it appears, is named after what it does (screen readers otherwise say just "button").
(() => {
    const unnamed = "button.mud-icon-button:not([aria-label]):not([aria-labelledby])";
    const label = button => {
        if (button.textContent.trim().length > 0) return;
        const field = button.closest(".mud-input-control");
        const what = field?.querySelector("label")?.textContent?.trim();
        const name = button.classList.contains("mud-input-clear-button") ? "Clear" : field ? "Show choices" : null;
        if (name) button.setAttribute("aria-label", what ? `${name}: ${what}` : name);
    };
    const scan = root => {
        if (root.matches?.(unnamed)) label(root);
        root.querySelectorAll?.(unnamed).forEach(label);
    };
    new MutationObserver(changes => changes.forEach(c => c.addedNodes.forEach(n => { if (n.nodeType === 1) scan(n); })))
        .observe(document.documentElement, { childList: true, subtree: true });
    document.addEventListener("DOMContentLoaded", () => scan(document.documentElement));
    scan(document.documentElement);
})();
