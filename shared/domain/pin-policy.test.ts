import { describe, expect, it } from 'vitest';
import { DEFAULT_PIN_POLICY, pinPolicyProblem } from './pin-policy';

describe('the PIN policy', () => {
  it('refuses four-digit PINs, and supervisors need eight characters or more', () => {
    expect(pinPolicyProblem('1234', 'agent')).toMatch(/at least 6/);
    expect(pinPolicyProblem('135790', 'agent')).toBeNull();
    expect(pinPolicyProblem('135790', 'supervisor')).toMatch(/at least 8/);
    expect(pinPolicyProblem('duty-9999', 'supervisor')).toBeNull();
  });

  it('refuses trivial PINs', () => {
    expect(pinPolicyProblem('000000', 'agent')).toMatch(/easy/);
    expect(pinPolicyProblem('123456', 'agent')).toMatch(/easy/);
    expect(pinPolicyProblem('98765432', 'supervisor')).toMatch(/easy/);
  });

  it('is configurable per airline', () => {
    const strict = { ...DEFAULT_PIN_POLICY, agentMinLength: 8, supervisorMinLength: 12 };
    expect(pinPolicyProblem('135790', 'agent', strict)).toMatch(/at least 8/);
    expect(pinPolicyProblem('duty-9999', 'supervisor', strict)).toMatch(/at least 12/);
  });
});
