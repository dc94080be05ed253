import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mayTransition, transitionOf } from './tiers.ts';

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
