/**
 * Tags a stylesheet's text (no `${}` interpolation) for the elements' `static styles`: the drop-in
 * build minifies what this tag marks (rollup.config.mjs, `widgetCss`), as it did for Lit's `css`.
 */
export const css = (text: TemplateStringsArray): string => text.join('');
