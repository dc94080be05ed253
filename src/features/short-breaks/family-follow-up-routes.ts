// The family's pages around an application: uploading evidence (while the application is a draft, or while an
// officer is waiting for more information), downloading what they uploaded, and answering an officer's questions.
import fastifyMultipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { FAMILY_ROLES } from '../../web/access.ts';
import { signedInUser } from '../../web/context.ts';
import { errorFor, errorSummary, type FieldError } from '../../web/errors.ts';
import { isUuid } from '../../web/ids.ts';
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
import { formText } from '../../web/form.ts';

const ACCESS = { access: FAMILY_ROLES };
const CAN_ADD_EVIDENCE = ['draft', 'more_information_requested'];

/** A multipart field as @fastify/multipart gives it when fields are attached to the body. */
interface UploadedPart {
  type?: string;
  filename?: string;
  file?: { truncated?: boolean };
  toBuffer?: () => Promise<Buffer>;
}

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

export async function familyFollowUpRoutes(app: FastifyInstance) {
  const { db } = app.deps.database;
  const backTo = (application: FamilyApplication) =>
    `/short-breaks/applications/${application.id}${application.status === 'draft' ? '' : '/more-information'}`;

  async function load(request: FastifyRequest, reply: FastifyReply) {
    const application = await familyApplication(db, signedInUser(request), (request.params as { id: string }).id);
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

  app.get('/short-breaks/applications/:id/evidence', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
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

    uploads.post('/short-breaks/applications/:id/evidence', { config: ACCESS }, async (request, reply) => {
      const application = await load(request, reply);
      if (!application) return reply;
      if (!CAN_ADD_EVIDENCE.includes(application.status)) return reply.redirect(backTo(application), 303);
      const part = (request.body as Record<string, UploadedPart | undefined> | undefined)?.evidence;
      const isFile = part?.type === 'file' && typeof part.toBuffer === 'function';
      const file = {
        name: isFile ? (part.filename ?? '') : '',
        content: isFile && part.toBuffer ? await part.toBuffer() : Buffer.alloc(0),
        truncated: isFile ? part.file?.truncated === true : false,
      };
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

  app.post('/short-breaks/applications/:id/evidence/:evidenceId/remove', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const { evidenceId } = request.params as { evidenceId: string };
    if (CAN_ADD_EVIDENCE.includes(application.status) && isUuid(evidenceId)) {
      await removeEvidence(db, signedInUser(request), application, evidenceId, request.id);
    }
    return reply.redirect(`/short-breaks/applications/${application.id}/evidence`, 303);
  });

  app.get('/short-breaks/applications/:id/evidence/:evidenceId', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const { evidenceId } = request.params as { evidenceId: string };
    const file = isUuid(evidenceId)
      ? await downloadEvidence(db, signedInUser(request), application, evidenceId, request.id)
      : undefined;
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

  app.get('/short-breaks/applications/:id/more-information', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    if (application.status === 'draft') return reply.redirect(`/short-breaks/applications/${application.id}`, 303);
    return renderQuestions(reply, application, {}, []);
  });

  app.post('/short-breaks/applications/:id/more-information', { config: ACCESS }, async (request, reply) => {
    const application = await load(request, reply);
    if (!application) return reply;
    const open = (await informationRequests(db, application.id)).filter((item) => item.answered_at === null);
    const answers = Object.fromEntries(open.map((item) => [item.id, formText(request.body, `answer-${item.id}`)]));
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
