// The library version; the browser cache name is derived from it so that a
// new release never reads weights cached by an older, incompatible one.
// Kept equal to package.json "version" (checked by js/test/unit.test.js).
export const VERSION = "0.1.0";
