// The view environment's two shortcuts through Nunjucks give what Nunjucks gives: what a template exports to an import
// without context is worked out once (an import with context still sees the importer's variables), and loop and set
// variables are set as before; govuk-frontend's components render the same every time.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import nunjucks from 'nunjucks';
import { createViewEnvironment } from './views.ts';

/** Templates held in memory, so a test can name its own. */
function environmentOf(templates: Record<string, string>): nunjucks.Environment {
  const loader = {
    getSource: (name: string) => ({ src: templates[name]!, path: name, noCache: false }),
  } as unknown as nunjucks.ILoader;
  return new nunjucks.Environment(loader, { autoescape: true });
}

test('a template imported without context is run once, and its macros still work on each page', () => {
  let runs = 0;
  const env = environmentOf({
    'helpers.njk': '{% set ran = countRun() %}{% macro shout(words) %}{{ words | upper }}!{% endmacro %}',
    'page.njk': '{% from "helpers.njk" import shout %}<p>{{ shout(name) }}</p>',
  });
  env.addGlobal('countRun', () => {
    runs += 1;
    return runs;
  });
  assert.equal(env.render('page.njk', { name: 'ada' }), '<p>ADA!</p>');
  assert.equal(env.render('page.njk', { name: 'noor' }), '<p>NOOR!</p>');
  assert.equal(env.render('page.njk', { name: 'tobi' }), '<p>TOBI!</p>');
  assert.equal(runs, 1);
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
  const env = createViewEnvironment({ watch: false });
  const page = [
    '{% from "govuk/components/button/macro.njk" import govukButton %}',
    '{% from "govuk/components/tag/macro.njk" import govukTag %}',
    '{{ govukButton({ text: label, attributes: { "data-step": step } }) }}{{ govukTag({ text: tag }) }}',
  ].join('');
  const render = (context: object) => env.renderString(page, context).replace(/\s+/g, ' ');
  const first = render({ label: 'Save', step: 1, tag: 'Overdue' });
  assert.match(first, /<button type="submit" class="govuk-button" data-module="govuk-button" data-step="1">/);
  assert.match(first, /<strong class="govuk-tag"> Overdue <\/strong>/);
  assert.equal(render({ label: 'Save', step: 1, tag: 'Overdue' }), first);
  const other = render({ label: 'Send', step: 2, tag: 'New' });
  assert.match(other, /data-step="2"> Send <\/button>/);
  assert.match(other, /<strong class="govuk-tag"> New <\/strong>/);
});

test('loop variables, and a variable set inside a loop or a condition, work as in Nunjucks', () => {
  createViewEnvironment({ watch: false });
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
