// E-mail: handlebars templates in templates/<name>/{subject,html,text}.hbs, sent over SMTP by nodemailer.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import nodemailer from 'nodemailer';
import { templatesDir } from '../runtime/paths';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

export interface Attachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface OutgoingMail extends RenderedMail {
  to: string[];
  /** Stable per event, so that a receiver can recognise a resend of the same mail. */
  messageId: string;
  attachments?: Attachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

/** Compiles every template once; rendering is then a pure function of the data. */
export function createRenderer(dir = templatesDir): (template: string, data: Record<string, unknown>) => RenderedMail {
  const hbs = Handlebars.create();
  const layout = hbs.compile(readFileSync(path.join(dir, 'partials', 'layout.html.hbs'), 'utf8'));
  const templates = new Map<string, Compiled>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name === 'partials' || entry.name === 'documents') continue;
    const read = (part: string) => readFileSync(path.join(dir, entry.name, `${part}.hbs`), 'utf8');
    templates.set(entry.name, {
      subject: hbs.compile(read('subject')),
      html: hbs.compile(read('html')),
      text: hbs.compile(read('text'), { noEscape: true }),
    });
  }
  return (template, data) => {
    const compiled = templates.get(template);
    if (!compiled) throw new Error(`unknown mail template ${template}`);
    const subject = compiled.subject(data).trim();
    return {
      subject,
      html: layout({ ...data, sujet: subject, contenu: compiled.html(data) }),
      text: compiled.text(data),
    };
  };
}

export interface SmtpSettings {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
}

export function createSmtpMailer(settings: SmtpSettings): Mailer {
  const transport = nodemailer.createTransport({
    host: settings.host,
    port: settings.port,
    secure: settings.secure,
    // Local catchers speak plain SMTP; a real relay negotiates STARTTLS when it offers it.
    ignoreTLS: !settings.secure && !settings.user,
    auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
    // Connections to the relay are kept and reused: a convocation per pupil, hundreds at a deadline.
    pool: true,
    maxConnections: 5,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 20_000,
  });
  return {
    async send(mail) {
      await transport.sendMail({
        from: settings.from,
        to: mail.to,
        subject: mail.subject,
        html: mail.html,
        text: mail.text,
        messageId: mail.messageId,
        attachments: mail.attachments,
      });
    },
    close: () => transport.close(),
  };
}

/**
 * Once SMTP has accepted a mail, recording it is what keeps a retry from sending it again: through a
 * database outage the record is retried here, within the activity's minute (workflows/candidature.ts, workflows/digest.ts).
 * Only an outage longer than that, falling between the two, can double a mail: at least once wins.
 */
const ENREGISTREMENT_ENVOI_MS = 45_000;

export async function noterEnvoi(enregistrer: () => Promise<unknown>): Promise<void> {
  const limite = Date.now() + ENREGISTREMENT_ENVOI_MS;
  for (;;) {
    try {
      await enregistrer();
      return;
    } catch (error) {
      if (Date.now() > limite) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}
