// The family's pages around an application: uploading evidence (while the application is a draft, or while an
// officer is waiting for more information), downloading what they uploaded, and answering an officer's questions.
import fastifyMultipart from '@fastify/multipart';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import {
  MAX_EVIDENCE_BYTES,
  addEvidence,
  downloadEvidence,
  evidenceList,
  evidenceProblem,
  removeEvidence,
} from './evidence.ts';
import { MAX_ANSWER, answerFamilyQuestions, informationRequests } from './information-requests.ts';
import { familyApplication, type FamilyApplication } from './service.ts';
import { fieldOf, IdParams, isUploadedFile, Text, text, Uuid, type TypeBoxTypes } from '../../web/form.ts';

const ACCESS = { access: FAMILY_ROLES };
const CAN_ADD_EVIDENCE = ['draft', 'more_information_requested'];

const APPLICATION = { config: ACCESS, schema: { params: IdParams } };
const EvidenceParams = Type.Object({ id: Uuid, evidenceId: Uuid });
/** The answers to the officer's questions, one field a question (`answer-<id>`), all text. */
const AnswersBody = Type.Record(Type.String(), Text());

/** Sends a stored file so the browser saves it rather than opening it inside Pathway's pages. */
export function sendFile(
  reply: FastifyReply,
  file: { file_name: string; media_type: string; content: Buffer },
): FastifyReply {
  return reply
    .type(file.media_type)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.file_name)}`)
    .send(file.content);
}

export async function familyFollowUpRoutes(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypes>();
  const { db } = app.deps.database;
  const backTo = (application: FamilyApplication) =>
    `/short-breaks/applications/${application.id}${application.status === 'draft' ? '' : '/more-information'}`;

  async function load(request: FastifyRequest, reply: FastifyReply, id: string) {
    const application = await familyApplication(db, signedInUser(request), id);
    if (!application) reply.callNotFound();
    return application;
  }

  async function renderEvidence(reply: FastifyReply, application: FamilyApplication, errors: FieldError[]) {
    return reply.render('short-breaks/views/evidence.njk', {
      application,
      files: await evidenceList(db, application.id),
      canAdd: CAN_ADD_EVIDENCE.includes(application.status),
      backTo: backTo(application),
      errors: errorSummary(errors),
      fileError: errorFor(errors, 'evidence'),
    });
  }

  app.get('/short-breaks/applications/:id/evidence', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    return renderEvidence(reply, application, []);
  });

  // Uploads are parsed only here, with the limits of an evidence file.
  await app.register(async (uploads) => {
    await uploads.register(fastifyMultipart, {
      attachFieldsToBody: true,
      throwFileSizeLimit: false,
      limits: { fileSize: MAX_EVIDENCE_BYTES, files: 1, fields: 5, fieldSize: 1000, parts: 6 },
    });

    // The body is multipart, checked here part by part rather than by a schema.
    const typedUploads = uploads.withTypeProvider<TypeBoxTypes>();
    typedUploads.post('/short-breaks/applications/:id/evidence', APPLICATION, async (request, reply) => {
      const application = await load(request, reply, request.params.id);
      if (!application) return reply;
      if (!CAN_ADD_EVIDENCE.includes(application.status)) return reply.redirect(backTo(application), 303);
      const part = fieldOf(request.body, 'evidence');
      const file = isUploadedFile(part)
        ? { name: part.filename ?? '', content: await part.toBuffer(), truncated: part.file?.truncated === true }
        : { name: '', content: Buffer.alloc(0), truncated: false };
      const problem = evidenceProblem(file);
      const stored = problem === null && (await addEvidence(db, signedInUser(request), application, file, request.id));
      if (!stored) {
        reply.status(problem === 'too-large' ? 413 : 400);
        return renderEvidence(reply, application, [
          { field: 'evidence', text: request.t(`shortBreaks.evidenceUpload.errors.${problem ?? 'too-many'}`) },
        ]);
      }
      return reply.redirect(`/short-breaks/applications/${application.id}/evidence`, 303);
    });
  });

  const evidenceFile = { config: ACCESS, schema: { params: EvidenceParams } };
  app.post('/short-breaks/applications/:id/evidence/:evidenceId/remove', evidenceFile, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    const { evidenceId } = request.params;
    if (CAN_ADD_EVIDENCE.includes(application.status)) {
      await removeEvidence(db, signedInUser(request), application, evidenceId, request.id);
    }
    return reply.redirect(`/short-breaks/applications/${application.id}/evidence`, 303);
  });

  app.get('/short-breaks/applications/:id/evidence/:evidenceId', evidenceFile, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    const file = await downloadEvidence(db, signedInUser(request), application, request.params.evidenceId, request.id);
    if (!file) {
      reply.callNotFound();
      return reply;
    }
    return sendFile(reply, file);
  });

  async function renderQuestions(
    reply: FastifyReply,
    application: FamilyApplication,
    answers: Record<string, string>,
    errors: FieldError[],
  ) {
    const requests = await informationRequests(db, application.id);
    return reply.render('short-breaks/views/more-information.njk', {
      application,
      open: requests
        .filter((item) => item.answered_at === null)
        .map((item) => ({ ...item, value: answers[item.id] ?? '', error: errorFor(errors, `answer-${item.id}`) })),
      answered: requests.filter((item) => item.answered_at !== null),
      files: await evidenceList(db, application.id),
      errors: errorSummary(errors),
    });
  }

  app.get('/short-breaks/applications/:id/more-information', APPLICATION, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    if (application.status === 'draft') return reply.redirect(`/short-breaks/applications/${application.id}`, 303);
    return renderQuestions(reply, application, {}, []);
  });

  const answersForm = { config: ACCESS, schema: { params: IdParams, body: AnswersBody } };
  app.post('/short-breaks/applications/:id/more-information', answersForm, async (request, reply) => {
    const application = await load(request, reply, request.params.id);
    if (!application) return reply;
    const open = (await informationRequests(db, application.id)).filter((item) => item.answered_at === null);
    const answers = Object.fromEntries(open.map((item) => [item.id, text(request.body[`answer-${item.id}`])]));
    const errors: FieldError[] = [];
    for (const item of open) {
      const answer = answers[item.id] ?? '';
      if (answer === '')
        errors.push({ field: `answer-${item.id}`, text: request.t('shortBreaks.moreInformation.errors.empty') });
      else if (answer.length > MAX_ANSWER)
        errors.push({
          field: `answer-${item.id}`,
          text: request.t('shortBreaks.moreInformation.errors.tooLong', { max: MAX_ANSWER }),
        });
    }
    if (errors.length > 0) {
      reply.status(400);
      return renderQuestions(reply, application, answers, errors);
    }
    await answerFamilyQuestions(db, signedInUser(request), application, new Map(Object.entries(answers)), {
      requestId: request.id,
      baseUrl: app.config.publicUrl,
    });
    return reply.redirect(`/short-breaks/applications/${application.id}/confirmation`, 303);
  });
}
