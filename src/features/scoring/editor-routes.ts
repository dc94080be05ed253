// The structured scoring model editor, for administrators: change a question and its answers, or a rule's
// conditions and outcome, on forms; add, remove and reorder; try the draft against past applications; publish.
// Every form carries the draft's version, so two administrators cannot save over each other unseen.
import type { Role } from '../../domain/people.ts';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  OUTCOME_KINDS,
  addQuestion,
  addRule,
  editQuestion,
  editRule,
  modelFlags,
  moveRule,
  removeQuestion,
  removeRule,
  type EditResult,
  type FieldErrors,
  type Fields,
} from '../../domain/scoring/edit.ts';
import {
  NEEDS_DOMAINS,
  NEED_LEVELS,
  flagName,
  problemsWithModel,
  type ScoringModel,
} from '../../domain/scoring/model.ts';
import { signedInUser } from '../../web/context.ts';
import { problemsForForm } from '../../web/errors.ts';
import { Text, type TypeBoxTypes } from '../../web/form.ts';
import { conditionText } from './describe.ts';
import { currentDraft, discardDraft, publishDraft, saveDraftModel, startDraft, type Draft } from './drafts.ts';
import { tryDraft } from './service.ts';

const ADMINISTRATORS: readonly Role[] = ['administrator'];
const ACCESS = { config: { access: ADMINISTRATORS } };
const EDITOR = '/admin/scoring/editor';

/**
 * Every editor form: text fields only, named by what they change (`label-0`, `flag-safeguarding`), with the draft's
 * version. Which names mean something is the domain's business (src/domain/scoring/edit.ts).
 */
const EditorForm = Type.Record(Type.String(), Text());
const PartParams = Type.Object({ partId: Text(200) });

type Render = (
  request: FastifyRequest,
  reply: FastifyReply,
  draft: Draft,
  id: string,
  fields: Fields | null,
  errors: FieldErrors,
) => FastifyReply;

/** A part of the model the editor changes a page at a time: a question, or a rule. The same pages serve both. */
interface EditablePart {
  /** Its pages' folder under the editor: `questions` or `rules`. */
  folder: string;
  exists(model: ScoringModel, id: string): boolean;
  /** The form's field that, set to 'yes', asks for the part to be removed. */
  removeField: string;
  remove(model: ScoringModel, id: string): ScoringModel;
  edit(model: ScoringModel, id: string, fields: Fields): EditResult;
  add(model: ScoringModel): { model: ScoringModel; id: string };
  render: Render;
}

export async function scoringEditorRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;

  async function renderOverview(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: Draft | undefined,
    extra: { comparison?: Awaited<ReturnType<typeof tryDraft>>; message?: string } = {},
  ) {
    const t = request.t;
    return reply.render('scoring/views/editor.njk', {
      draft: draft
        ? {
            version: draft.version,
            updatedAt: draft.updatedAt,
            updatedBy: draft.updatedBy,
            questions: draft.model.questions.map((question) => ({
              id: question.id,
              text: question.text,
              domain: t(`scoring.domains.${question.domain}`),
              answers: question.options.length,
              points: question.options.map((option) => option.points).join(', '),
            })),
            rules: draft.model.rules.map((rule) => ({
              id: rule.id,
              condition: conditionText(draft.model, rule, t),
              outcome: rule.outcome.label,
            })),
          }
        : null,
      problems: draft ? problemsWithModel(draft.model) : [],
      comparison: extra.comparison
        ? {
            ...extra.comparison,
            moves: Object.entries(extra.comparison.moves).map(([move, count]) => ({ move, count })),
          }
        : null,
      message: extra.message ?? null,
    });
  }

  /** The draft, or a redirect to the editor's start when there is none. */
  async function loadDraft(request: FastifyRequest, reply: FastifyReply) {
    const draft = await currentDraft(db, signedInUser(request).laCode);
    if (!draft) await reply.redirect(EDITOR, 303);
    return draft;
  }

  /** Saves a change made to the draft the form was filled in on; tells the administrator if it moved on. */
  async function save(request: FastifyRequest, reply: FastifyReply, fields: Fields, model: ScoringModel, next: string) {
    const seenVersion = Number(fields.version);
    const saved = Number.isInteger(seenVersion)
      ? await saveDraftModel(db, signedInUser(request), { seenVersion, model, requestId: request.id })
      : 'changed-since';
    if (saved === 'changed-since') {
      reply.status(409);
      return renderOverview(request, reply, await currentDraft(db, signedInUser(request).laCode), {
        message: request.t('scoring.editor.changedSince'),
      });
    }
    return reply.redirect(next, 303);
  }

  app.get(EDITOR, ACCESS, async (request, reply) =>
    renderOverview(request, reply, await currentDraft(db, signedInUser(request).laCode)),
  );

  app.post(`${EDITOR}/start`, ACCESS, async (request, reply) => {
    await startDraft(db, signedInUser(request), request.id);
    return reply.redirect(EDITOR, 303);
  });

  /** A part's page, its form (change or remove it) and adding a new one, which opens its page. */
  function editorPages(part: EditablePart) {
    const page = `${EDITOR}/${part.folder}/:partId`;

    /** The draft when it has the part; otherwise undefined, with the editor's start or "Page not found" sent. */
    async function draftWithPart(request: FastifyRequest, reply: FastifyReply, id: string) {
      const draft = await loadDraft(request, reply);
      if (draft && !part.exists(draft.model, id)) {
        reply.callNotFound();
        return undefined;
      }
      return draft;
    }

    app.get(page, { ...ACCESS, schema: { params: PartParams } }, async (request, reply) => {
      const id = request.params.partId;
      const draft = await draftWithPart(request, reply, id);
      if (!draft) return reply;
      return part.render(request, reply, draft, id, null, {});
    });

    app.post(page, { ...ACCESS, schema: { params: PartParams, body: EditorForm } }, async (request, reply) => {
      const id = request.params.partId;
      const draft = await draftWithPart(request, reply, id);
      if (!draft) return reply;
      const fields: Fields = request.body;
      if (fields[part.removeField] === 'yes') return save(request, reply, fields, part.remove(draft.model, id), EDITOR);
      const edited = part.edit(draft.model, id, fields);
      if (edited.errors) {
        reply.status(400);
        return part.render(request, reply, draft, id, fields, edited.errors);
      }
      return save(request, reply, fields, edited.model, EDITOR);
    });

    app.post(`${EDITOR}/${part.folder}`, { ...ACCESS, schema: { body: EditorForm } }, async (request, reply) => {
      const draft = await loadDraft(request, reply);
      if (!draft) return reply;
      const added = part.add(draft.model);
      return save(request, reply, request.body, added.model, `${EDITOR}/${part.folder}/${added.id}`);
    });
  }

  function renderQuestion(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: Draft,
    questionId: string,
    fields: Fields | null,
    errors: FieldErrors,
  ) {
    const question = draft.model.questions.find((candidate) => candidate.id === questionId)!;
    const value = (name: string, fallback: string) => (fields ? (fields[name] ?? '') : fallback);
    // An answer from a model made before answers stated their need starts with nothing chosen, so saving asks for it.
    const needs = (chosen: string) => [
      { value: '', text: request.t('scoring.editor.chooseNeed') },
      ...NEED_LEVELS.map((need) => ({
        value: need,
        text: request.t(`scoring.needs.${need}`),
        selected: chosen === need,
      })),
    ];
    return reply.render('scoring/views/edit-question.njk', {
      version: draft.version,
      question: {
        id: question.id,
        text: value('text', question.text),
        hint: value('hint', question.hint ?? ''),
        weight: value('weight', String(question.weight ?? 1)),
      },
      domains: NEEDS_DOMAINS.map((domain) => ({
        value: domain,
        text: request.t(`scoring.domains.${domain}`),
        selected: value('domain', question.domain) === domain,
      })),
      options: question.options.map((option, index) => ({
        index,
        label: value(`label-${index}`, option.label),
        points: value(`points-${index}`, String(option.points)),
        needs: needs(value(`need-${index}`, option.need ?? '')),
        explanation: value(`explanation-${index}`, option.explanation),
        remove: fields?.[`remove-${index}`] === 'yes',
        flags: value(`flags-${index}`, (option.flags ?? []).map((flag) => flagName(draft.model, flag)).join(', ')),
      })),
      added: {
        label: fields?.['label-new'] ?? '',
        points: fields?.['points-new'] ?? '',
        needs: needs(fields?.['need-new'] ?? ''),
        explanation: fields?.['explanation-new'] ?? '',
        flags: fields?.['flags-new'] ?? '',
      },
      ...problemsForForm(errors),
    });
  }

  editorPages({
    folder: 'questions',
    exists: (model, id) => model.questions.some((question) => question.id === id),
    removeField: 'removeQuestion',
    remove: removeQuestion,
    edit: editQuestion,
    add: addQuestion,
    render: renderQuestion,
  });

  function renderRule(
    request: FastifyRequest,
    reply: FastifyReply,
    draft: Draft,
    ruleId: string,
    fields: Fields | null,
    errors: FieldErrors,
  ) {
    const rule = draft.model.rules.find((candidate) => candidate.id === ruleId)!;
    const value = (name: string, fallback: number | string | undefined) =>
      fields ? (fields[name] ?? '') : fallback === undefined ? '' : String(fallback);
    return reply.render('scoring/views/edit-rule.njk', {
      version: draft.version,
      rule: {
        id: rule.id,
        reason: value('reason', rule.reason),
        minTotal: value('minTotal', rule.when.minTotal),
        maxTotal: value('maxTotal', rule.when.maxTotal),
        childAgeBelow: value('childAgeBelow', rule.when.childAgeBelow),
        minDomainPoints: value('minDomainPoints', rule.when.minDomain?.points),
        label: value('label', rule.outcome.label),
        amountPerYear: value('amountPerYear', rule.outcome.amountPerYear),
        hoursPerYear: value('hoursPerYear', rule.outcome.hoursPerYear),
      },
      flags: modelFlags(draft.model).map((flag) => ({
        value: 'yes',
        name: `flag-${flag}`,
        text: request.t(`scoring.conditions.flag`, { flag: flagName(draft.model, flag) }),
        checked: fields ? fields[`flag-${flag}`] === 'yes' : (rule.when.anyFlag ?? []).includes(flag),
      })),
      domains: [
        { value: '', text: request.t('scoring.editor.noDomain') },
        ...NEEDS_DOMAINS.map((domain) => ({
          value: domain,
          text: request.t(`scoring.domains.${domain}`),
          selected: value('minDomain', rule.when.minDomain?.domain) === domain,
        })),
      ],
      kinds: OUTCOME_KINDS.map((kind) => ({
        value: kind,
        text: request.t(`scoring.editor.kinds.${kind}`),
        checked: value('kind', rule.outcome.kind) === kind,
      })),
      ...problemsForForm(errors),
    });
  }

  editorPages({
    folder: 'rules',
    exists: (model, id) => model.rules.some((rule) => rule.id === id),
    removeField: 'removeRule',
    remove: removeRule,
    edit: editRule,
    add: addRule,
    render: renderRule,
  });

  const moveSchema = { params: PartParams, body: EditorForm };
  app.post(`${EDITOR}/rules/:partId/move`, { ...ACCESS, schema: moveSchema }, async (request, reply) => {
    const draft = await loadDraft(request, reply);
    if (!draft) return reply;
    const direction = request.body.direction === 'up' ? 'up' : 'down';
    return save(request, reply, request.body, moveRule(draft.model, request.params.partId, direction), EDITOR);
  });

  app.post(`${EDITOR}/try`, ACCESS, async (request, reply) => {
    const draft = await loadDraft(request, reply);
    if (!draft) return reply;
    if (problemsWithModel(draft.model).length > 0) {
      reply.status(400);
      return renderOverview(request, reply, draft);
    }
    const comparison = await tryDraft(db, signedInUser(request).laCode, draft.model);
    return renderOverview(request, reply, draft, { comparison });
  });

  app.post(`${EDITOR}/publish`, { ...ACCESS, schema: { body: EditorForm } }, async (request, reply) => {
    const draft = await loadDraft(request, reply);
    if (!draft) return reply;
    if (problemsWithModel(draft.model).length > 0) {
      reply.status(400);
      return renderOverview(request, reply, draft);
    }
    const seenVersion = Number(request.body.version);
    const published = await publishDraft(db, signedInUser(request), { seenVersion, requestId: request.id });
    if (published === 'changed-since') {
      reply.status(409);
      return renderOverview(request, reply, await currentDraft(db, signedInUser(request).laCode), {
        message: request.t('scoring.editor.changedSince'),
      });
    }
    return reply.redirect(`/admin/scoring?published=${published}`, 303);
  });

  app.post(`${EDITOR}/discard`, ACCESS, async (request, reply) => {
    await discardDraft(db, signedInUser(request), request.id);
    return reply.redirect('/admin/scoring', 303);
  });
}
