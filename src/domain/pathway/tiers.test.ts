import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closureReasonFits, mayTransition, stepDownNeedsAgreement, tierRank, transitionOf } from './tiers.ts';

test('up is a step-up, down a step-down, staying put is no transition', () => {
  assert.equal(transitionOf('targeted', 'specialist'), 'step-up');
  assert.equal(transitionOf('specialist', 'universal'), 'step-down');
  assert.equal(transitionOf('targeted', 'targeted'), undefined);
});

test('managers move any way; social workers around specialist work; short breaks officers below it', () => {
  assert.ok(mayTransition(['team_manager'], 'universal', 'specialist'));
  assert.ok(mayTransition(['social_worker'], 'specialist', 'targeted'));
  assert.ok(!mayTransition(['social_worker'], 'targeted', 'universal'));
  assert.ok(mayTransition(['short_breaks_officer'], 'targeted', 'universal'));
  assert.ok(!mayTransition(['short_breaks_officer'], 'targeted', 'specialist'));
  assert.ok(!mayTransition(['triage_worker'], 'targeted', 'specialist'));
  assert.ok(!mayTransition(['team_manager'], 'targeted', 'targeted'));
});

test('a worker needs a manager to agree a step-down out of specialist work or with a safety worry open', () => {
  assert.ok(stepDownNeedsAgreement(['social_worker'], { from: 'specialist', to: 'targeted', openSafetyWorry: false }));
  assert.ok(stepDownNeedsAgreement(['social_worker'], { from: 'specialist', to: 'universal', openSafetyWorry: false }));
  assert.ok(
    stepDownNeedsAgreement(['short_breaks_officer'], { from: 'targeted', to: 'universal', openSafetyWorry: true }),
  );
  assert.ok(
    !stepDownNeedsAgreement(['short_breaks_officer'], { from: 'targeted', to: 'universal', openSafetyWorry: false }),
  );
  assert.ok(!stepDownNeedsAgreement(['team_manager'], { from: 'specialist', to: 'universal', openSafetyWorry: true }));
  assert.ok(!stepDownNeedsAgreement(['social_worker'], { from: 'targeted', to: 'specialist', openSafetyWorry: true }));
});

test('"closed after assessment" fits only an episode whose assessment was done', () => {
  assert.ok(!closureReasonFits('RC8', { assessmentCompleted: false }));
  assert.ok(!closureReasonFits('RC9', { assessmentCompleted: false }));
  assert.ok(closureReasonFits('RC8', { assessmentCompleted: true }));
  assert.ok(closureReasonFits('RC7', { assessmentCompleted: false }));
});

test('tiers rank upwards from universal', () => {
  assert.ok(tierRank('universal') < tierRank('targeted') && tierRank('targeted') < tierRank('specialist'));
});
