import { describe, expect, it, vi } from 'vitest';
import { PRINT_CSP, withPrintCsp } from './document-csp';

vi.mock('electron', () => ({}));

describe('the print CSP main adds to every document', () => {
  it('goes first, right after the doctype, so it governs the whole document', () => {
    expect(withPrintCsp('<!DOCTYPE html><html><head><title>x</title>')).toBe(
      `<!DOCTYPE html><meta http-equiv="Content-Security-Policy" content="${PRINT_CSP}"><html><head><title>x</title>`,
    );
  });

  it('is put in front of a document without a doctype', () => {
    expect(withPrintCsp('<p>x</p>').startsWith('<meta http-equiv="Content-Security-Policy"')).toBe(true);
  });

  it('allows no scripts, frames, files or network', () => {
    expect(PRINT_CSP).toContain("default-src 'none'");
    expect(PRINT_CSP).not.toMatch(/script-src|frame-src|\*|file:|https?:/);
  });
});
