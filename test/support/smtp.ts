// A real SMTP receiver on loopback for tests: mails arrive over the wire and are parsed as a client sees them.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface SmtpReceiver {
  port: number;
  mails: ParsedMail[];
  /** Waits until `count` mails matching `filter` have arrived, then returns them. */
  waitFor(filter: (mail: ParsedMail) => boolean, count?: number, timeoutMs?: number): Promise<ParsedMail[]>;
  /** While down, every message is refused with a transient 451: the sender must retry later. */
  setDown(down: boolean): void;
  stop(): Promise<void>;
}

/** `analyser: false` (the benchmarks): mails are accepted as a relay accepts them, neither parsed nor kept. */
export async function startSmtpReceiver({ analyser = true } = {}): Promise<SmtpReceiver> {
  const mails: ParsedMail[] = [];
  let down = false;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      if (down) {
        stream.resume();
        stream.on('end', () => callback(Object.assign(new Error('service temporairement indisponible'), { responseCode: 451 })));
        return;
      }
      if (!analyser) {
        stream.resume();
        stream.on('end', () => callback());
        return;
      }
      simpleParser(stream)
        .then((mail) => {
          mails.push(mail);
          callback();
        })
        .catch(callback);
    },
  });
  // A sender killed in the middle of a session (the fault tests SIGKILL the worker) resets its connection:
  // smtp-server reports it as an 'error' event, which must not bring the test process down.
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    mails,
    async waitFor(filter, count = 1, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = mails.filter(filter);
        if (found.length >= count) return found;
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} mail(s), got ${found.length}: ${mails.map((m) => m.subject).join(' | ')}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
    setDown(value) {
      down = value;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function recipients(mail: ParsedMail): string[] {
  const to = Array.isArray(mail.to) ? mail.to : mail.to ? [mail.to] : [];
  return to.flatMap((a) => a.value.map((v) => v.address ?? '')).sort();
}
