// The fds open before a test file's tests, for checking afterwards that
// they leaked none.
//
// Why not just list them: libuv opens /dev/null once, and keeps it, the
// first time the process creates a stream handle (a reserve fd for running
// out of fds in accept). When node's stdout is a pipe that happens at start;
// when it is a file, at the first socket a test makes, which then looked like
// a leak (the fd checks failed when a test file ran alone with its output
// redirected to a file). So a stream handle is made and closed first.
import * as fs from 'fs';
import * as net from 'net';
import { once } from 'events';
import * as native from '../../native';

export async function fdBaseline(): Promise<Set<string>> {
  const { read, write } = native.pipeFds();
  const socket = new net.Socket({ fd: read.release(), readable: true, writable: false });
  write.close();
  socket.destroy();
  await once(socket, 'close');
  return new Set(fs.readdirSync('/proc/self/fd'));
}
