/**
 * The durable forms of the model: a trained model as JSON bytes (weights base64), and the
 * training checkpoint (weights, Adam moments, early-stopping state and feature spec as plain
 * data) that a retried training run resumes from.
 */
import { deserializeWeights, serializeWeights, type SerializedTensor } from '../../lstm/index.js';
import type { FeatureSpec } from '../features.js';
import type { ColdStartHyper } from './hyper.js';
import type { TrainedModel } from './trained-model.js';

export interface AdamState {
  step: number;
  m: Record<string, SerializedTensor>;
  v: Record<string, SerializedTensor>;
}

export interface Checkpoint {
  format: 'launchloop.coldstart.checkpoint/1';
  /** Last completed epoch (1-based); a resumed run starts at epoch + 1. */
  epoch: number;
  weights: Record<string, SerializedTensor>;
  optimizer: AdamState;
  bestValLoss: number;
  bestEpoch: number;
  bestWeights: Record<string, SerializedTensor>;
  hyper: ColdStartHyper;
  featureSpec: FeatureSpec;
}

/** JSON bytes (weights base64) — storable in an artifact store or a bytea column. */
export function serializeModel(model: TrainedModel): Uint8Array {
  const json = JSON.stringify({ ...model, weights: serializeWeights(model.weights) });
  return new TextEncoder().encode(json);
}

export function loadModel(bytes: Uint8Array): TrainedModel {
  const raw = JSON.parse(new TextDecoder().decode(bytes)) as Omit<TrainedModel, 'weights'> & { weights: Record<string, SerializedTensor> };
  if (raw.format !== 'launchloop.coldstart.model/1') throw new Error(`not a cold-start model (format ${String(raw.format)})`);
  return { ...raw, weights: deserializeWeights(raw.weights) };
}
