// Runtime floor 1: a Bun executable that does nothing but stay alive.
setInterval(() => {}, 60_000);
console.log("ready");
