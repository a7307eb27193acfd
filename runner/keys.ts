// Watch mode's keyboard, only on a terminal: single keys in raw mode, and a
// one-line prompt for the p and t patterns. It turns keys into commands and
// knows nothing about runs.
//
//   a all · f failed · p file pattern · t test name · Enter re-run · q quit
//   Ctrl-C interrupt (raw mode keeps the terminal from sending SIGINT)

export type KeyCommand =
  | { readonly kind: 'all' | 'failed' | 'rerun' | 'quit' | 'interrupt' | 'help' }
  | { readonly kind: 'file-pattern' | 'name-pattern'; readonly pattern: string };

export const KEYS_HELP = 'a all · f failed · p file pattern · t test name · Enter re-run · q quit';

const PROMPTS = { p: ['file-pattern', 'file pattern'], t: ['name-pattern', 'test name pattern'] } as const;

export interface KeyReader {
  close(): void;
}

export function readKeys(stdin: NodeJS.ReadStream, echo: NodeJS.WritableStream, onCommand: (c: KeyCommand) => void): KeyReader {
  let prompt: { kind: 'file-pattern' | 'name-pattern'; label: string; text: string } | null = null;
  const draw = () => prompt && echo.write(`\r\x1b[K${prompt.label} (Enter applies, empty clears, Esc cancels) › ${prompt.text}`);

  const onData = (data: string) => {
    // an escape sequence (arrow keys…) arrives whole: ignore it, but a lone Esc cancels
    if (data.startsWith('\x1b') && data.length > 1) return;
    for (const ch of data) {
      if (ch === '\x03') return onCommand({ kind: 'interrupt' });
      if (prompt) {
        if (ch === '\r' || ch === '\n') {
          const done = prompt;
          prompt = null;
          echo.write('\n');
          onCommand({ kind: done.kind, pattern: done.text });
        } else if (ch === '\x1b') {
          prompt = null;
          echo.write('\r\x1b[K(cancelled)\n');
        } else if (ch === '\x7f' || ch === '\b') {
          prompt.text = [...prompt.text].slice(0, -1).join('');
          draw();
        } else if (ch >= ' ') {
          prompt.text += ch;
          draw();
        }
        continue;
      }
      switch (ch) {
        case 'a':
          onCommand({ kind: 'all' });
          break;
        case 'f':
          onCommand({ kind: 'failed' });
          break;
        case '\r':
        case '\n':
          onCommand({ kind: 'rerun' });
          break;
        case 'q':
        case '\x04': // Ctrl-D
          onCommand({ kind: 'quit' });
          break;
        case 'h':
        case '?':
          onCommand({ kind: 'help' });
          break;
        case 'p':
        case 't': {
          const [kind, label] = PROMPTS[ch];
          prompt = { kind, label, text: '' };
          echo.write('\n');
          draw();
          break;
        }
        default:
        // other keys do nothing
      }
    }
  };

  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  stdin.on('data', onData);
  stdin.resume();
  return {
    close() {
      stdin.off('data', onData);
      if (stdin.isTTY) stdin.setRawMode(false);
      stdin.pause();
    },
  };
}
