// The SMTP relay, through nodemailer: pooled connections, a stable Message-ID per event.
import nodemailer from 'nodemailer';

export interface Attachment {
  filename: string;
  content: string;
  contentType: string;
}

export interface OutgoingMail {
  subject: string;
  html: string;
  text: string;
  to: string[];
  /** Stable per event, so that a receiver can recognise a resend of the same mail. */
  messageId: string;
  attachments?: Attachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
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
