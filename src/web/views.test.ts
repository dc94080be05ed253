// The view environment gives what Nunjucks gives: govuk-frontend's templates (handed out by the environment
// subclass) work out what they export to an import without context once, while our own templates and imports with
// context run each time; loop and set variables are set as Nunjucks sets them; and govuk-frontend's components
// render the same every time.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import nunjucks from 'nunjucks';
import { createViewEnvironment } from './views.ts';

let views: nunjucks.Environment;
before(() => {
  views = createViewEnvironment({ watch: false });
});

/** Templates held in memory, so a test can name its own. */
function environmentOf(templates: Record<string, string>): nunjucks.Environment {
  const loader = {
    getSource: (name: string) => ({ src: templates[name]!, path: name, noCache: false }),
  } as unknown as nunjucks.ILoader;
  return new nunjucks.Environment(loader, { autoescape: true });
}

/** What a template exports to an import without context, as a compiled template asks for it. */
function exportsOf(template: nunjucks.Template): unknown {
  let exported: unknown;
  (template as unknown as { getExported(done: (error: Error | null, value: unknown) => void): void }).getExported(
    (error, value) => {
      if (error) throw error;
      exported = value;
    },
  );
  return exported;
}

test("govuk-frontend's templates work out their exports once; the macros they export still work", () => {
  const helpers = views.getTemplate('govuk/macros/attributes.njk');
  const first = exportsOf(helpers) as Record<string, unknown>;
  assert.equal(typeof first.govukAttributes, 'function');
  assert.equal(exportsOf(helpers), first);
});

test('our own templates imported without context run on every import, so nothing is shared between pages', () => {
  let runs = 0;
  const env = environmentOf({
    'helpers.njk': [
      '{% set ran = countRun() %}{% set list = [] %}',
      '{% macro add(item) %}{% if list.push(item) %}{% endif %}{{ list | length }}{% endmacro %}',
      '{% macro shout(words) %}{{ words | upper }}!{% endmacro %}',
    ].join(''),
    'page.njk': '{% from "helpers.njk" import add, shout %}<p>{{ shout(name) }} {{ add(name) }}</p>',
  });
  env.addGlobal('countRun', () => {
    runs += 1;
    return runs;
  });
  assert.equal(env.render('page.njk', { name: 'ada' }), '<p>ADA! 1</p>');
  assert.equal(env.render('page.njk', { name: 'noor' }), '<p>NOOR! 1</p>');
  assert.equal(env.render('page.njk', { name: 'tobi' }), '<p>TOBI! 1</p>');
  assert.equal(runs, 3);
});

test('a template imported with context sees each page’s own variables', () => {
  const env = environmentOf({
    'greeting.njk': '{% macro hello() %}Hello {{ name }}{% endmacro %}',
    'page.njk': '{% from "greeting.njk" import hello with context %}{{ hello() }}',
  });
  assert.equal(env.render('page.njk', { name: 'Ada' }), 'Hello Ada');
  assert.equal(env.render('page.njk', { name: 'Noor' }), 'Hello Noor');
});

test('govuk-frontend components render the same the first time and after', () => {
  const page = [
    '{% from "govuk/components/button/macro.njk" import govukButton %}',
    '{% from "govuk/components/tag/macro.njk" import govukTag %}',
    '{{ govukButton({ text: label, attributes: { "data-step": step } }) }}{{ govukTag({ text: tag }) }}',
  ].join('');
  const render = (context: object) => views.renderString(page, context).replace(/\s+/g, ' ');
  const first = render({ label: 'Save', step: 1, tag: 'Overdue' });
  assert.match(first, /<button type="submit" class="govuk-button" data-module="govuk-button" data-step="1">/);
  assert.match(first, /<strong class="govuk-tag"> Overdue <\/strong>/);
  assert.equal(render({ label: 'Save', step: 1, tag: 'Overdue' }), first);
  const other = render({ label: 'Send', step: 2, tag: 'New' });
  assert.match(other, /data-step="2"> Send <\/button>/);
  assert.match(other, /<strong class="govuk-tag"> New <\/strong>/);
});

test('loop variables, and a variable set inside a loop or a condition, work as in Nunjucks', () => {
  const env = environmentOf({
    'rows.njk': [
      '{% set total = 0 %}',
      '{% for n in items %}{% set total = total + n %}',
      '{{ loop.index }}/{{ loop.length }}{{ " first" if loop.first }}{{ " last" if loop.last }}, ',
      '{% endfor %}{{ total }}{% if true %}{% set shown = "yes" %}{% endif %} {{ shown }}',
    ].join(''),
  });
  assert.equal(env.render('rows.njk', { items: [4, 5, 6] }), '1/3 first, 2/3, 3/3 last, 15 yes');
  assert.equal(env.render('rows.njk', { items: [7] }), '1/1 first last, 7 yes');
});
