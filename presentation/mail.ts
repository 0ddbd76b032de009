// Mails as users read them: handlebars templates in templates/<name>/{subject,html,text}.hbs, rendered by a
// pure function of the data.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { templatesDir } from '../platform/paths';

export interface RenderedMail {
  subject: string;
  html: string;
  text: string;
}

type Compiled = { subject: HandlebarsTemplateDelegate; html: HandlebarsTemplateDelegate; text: HandlebarsTemplateDelegate };

/** Compiles every template once; rendering is then a pure function of the data. */
export function createRenderer(dir = templatesDir): (template: string, data: Record<string, unknown>) => RenderedMail {
  const hbs = Handlebars.create();
  const layout = hbs.compile(readFileSync(path.join(dir, 'partials', 'layout.html.hbs'), 'utf8'));
  const templates = new Map<string, Compiled>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || ['partials', 'documents', 'pages'].includes(entry.name)) continue;
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
