// `import path from "x.wasm" with { type: "file" }` yields the file's path, which
// `bun build --compile` rewrites to the copy embedded in the executable.
declare module "*.wasm" {
  const path: string;
  export default path;
}
