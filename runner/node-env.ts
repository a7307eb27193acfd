// node reads NODE_EXTRA_CA_CERTS as it starts, before any of our code runs,
// and parses every certificate in the file it names. Where that is a system
// bundle (as on this project's machine: /etc/ssl/certs/ca-certificates.crt,
// ~140 certificates), it is ~60 ms of a start that takes ~30 ms without it,
// and the parsed store stays in the heap every test's process is forked from.
// wat-test opens no TLS connection, so bin/wat-test and bin/wat start node
// without the variable (their shebang's `env -u`) and carry its value across
// in WAT_TEST_EXTRA_CA_CERTS; restoreCarriedEnv() puts it back first thing,
// so every process started from here sees the environment it was given.

/** Where the shebang (and a re-run, reexec.ts) carries NODE_EXTRA_CA_CERTS. */
export const CARRIED_CA_CERTS = 'WAT_TEST_EXTRA_CA_CERTS';

/** Puts back what the start carried across. An empty carried value means the
 *  variable was unset or empty, which node treats alike: it stays unset. */
export function restoreCarriedEnv(env: NodeJS.ProcessEnv = process.env): void {
  const carried = env[CARRIED_CA_CERTS];
  if (carried === undefined) return;
  delete env[CARRIED_CA_CERTS];
  if (carried !== '') env.NODE_EXTRA_CA_CERTS = carried;
}

/** The environment for starting node on one of our scripts: the same,
 *  with NODE_EXTRA_CA_CERTS carried across instead of read at start. */
export function carryingEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out = { ...env };
  const value = out.NODE_EXTRA_CA_CERTS;
  delete out.NODE_EXTRA_CA_CERTS;
  if (value !== undefined && value !== '') out[CARRIED_CA_CERTS] = value;
  return out;
}
