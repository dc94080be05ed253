// The scoring model pages: the model in use, in plain words; and for administrators, trying a draft against
// past applications before publishing it as the next version.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Role } from '../../db/schema.ts';
import type { ScoringModel } from '../../domain/scoring/model.ts';
import { signedInUser } from '../../web/context.ts';
import type { Translate } from '../../web/i18n.ts';
import { modelInUse, publishModel, readDraft, tryDraft } from './service.ts';

const READERS: readonly Role[] = ['administrator', 'team_manager', 'analyst'];
const ADMINISTRATORS: readonly Role[] = ['administrator'];

/** A rule's conditions as a sentence: "If the total is at least 60 points". */
function conditionText(rule: ScoringModel['rules'][number], t: Translate): string {
  const { when } = rule;
  const parts = [
    ...(when.anyFlag ?? []).map((flag) => t('scoring.conditions.flag', { flag: t(`scoring.flags.${flag}`) })),
    ...(when.childAgeBelow !== undefined ? [t('scoring.conditions.ageBelow', { age: when.childAgeBelow })] : []),
    ...(when.minTotal !== undefined ? [t('scoring.conditions.minTotal', { points: when.minTotal })] : []),
    ...(when.maxTotal !== undefined ? [t('scoring.conditions.maxTotal', { points: when.maxTotal })] : []),
    ...(when.minDomain
      ? [
          t('scoring.conditions.minDomain', {
            domain: t(`scoring.domains.${when.minDomain.domain}`),
            points: when.minDomain.points,
          }),
        ]
      : []),
  ];
  return parts.length > 0 ? parts.join(t('scoring.conditions.and')) : t('scoring.conditions.otherwise');
}

function describeModel(model: ScoringModel, t: Translate) {
  return {
    name: model.name,
    version: model.version,
    questions: model.questions.map((question) => ({
      text: question.text,
      domain: t(`scoring.domains.${question.domain}`),
      weight: question.weight ?? 1,
      options: question.options.map((option) => ({
        label: option.label,
        points: option.points,
        flags: (option.flags ?? []).map((flag) => t(`scoring.flags.${flag}`)).join(', '),
      })),
    })),
    rules: model.rules.map((rule) => ({
      condition: conditionText(rule, t),
      outcome: rule.outcome.label,
      reason: rule.reason,
    })),
  };
}

function draftText(body: unknown): string {
  const draft = (body as Record<string, unknown> | undefined)?.draft;
  return typeof draft === 'string' ? draft : '';
}

export async function scoringRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;

  app.get('/admin/scoring', { config: { access: READERS } }, async (request, reply) => {
    const user = signedInUser(request);
    const inUse = await modelInUse(db, user.laCode);
    const published = (request.query as Record<string, unknown>).published;
    return reply.render('scoring/views/model.njk', {
      model: describeModel(inUse.model, request.t),
      publishedAt: inUse.publishedAt,
      publishedBy: inUse.publishedBy,
      canEdit: user.roles.includes('administrator'),
      published: typeof published === 'string' && /^\d+$/.test(published) ? published : null,
    });
  });

  async function renderDraft(
    reply: FastifyReply,
    options: { text: string; problems: string[]; comparison?: Awaited<ReturnType<typeof tryDraft>> },
  ) {
    return reply.render('scoring/views/draft.njk', {
      text: options.text,
      problems: options.problems.map((problem) => ({ text: problem, href: '#draft' })),
      comparison: options.comparison
        ? {
            ...options.comparison,
            moves: Object.entries(options.comparison.moves).map(([move, count]) => ({ move, count })),
          }
        : null,
    });
  }

  app.get('/admin/scoring/draft', { config: { access: ADMINISTRATORS } }, async (request, reply) => {
    const { model } = await modelInUse(db, signedInUser(request).laCode);
    return renderDraft(reply, { text: JSON.stringify(model, null, 2), problems: [] });
  });

  app.post('/admin/scoring/draft', { config: { access: ADMINISTRATORS } }, async (request, reply) => {
    const text = draftText(request.body);
    const draft = readDraft(text);
    if (!('model' in draft)) {
      reply.status(400);
      return renderDraft(reply, { text, problems: draft.problems });
    }
    const comparison = await tryDraft(db, signedInUser(request).laCode, draft.model);
    return renderDraft(reply, { text, problems: [], comparison });
  });

  app.post('/admin/scoring/publish', { config: { access: ADMINISTRATORS } }, async (request, reply) => {
    const text = draftText(request.body);
    const draft = readDraft(text);
    if (!('model' in draft)) {
      reply.status(400);
      return renderDraft(reply, { text, problems: draft.problems });
    }
    const version = await publishModel(db, signedInUser(request), draft.model, request.id);
    return reply.redirect(`/admin/scoring?published=${version}`, 303);
  });
}
