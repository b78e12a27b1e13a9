import { describe, expect, it } from 'vitest';
import {
  APQNS_PATTERN,
  IDS_PATTERN,
  formatIds,
  parseApInstruction,
  parseApqn,
  parseApqns,
  parseCryptoAttr,
  parseErrno,
  parseId,
  parseIds,
  parseMatrixAttr,
  parseMatrixKind,
  parseRc,
} from '../steps/support/parse';

/** The message a parser throws, or a failure if it does not throw. */
function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error('expected the parser to reject the value');
}

describe('{id}', () => {
  it('reads decimal ids, leading zeros included', () => {
    expect(parseId('5')).toBe(5);
    expect(parseId('05')).toBe(5);
    expect(parseId('255')).toBe(255);
    expect(parseId('0')).toBe(0);
  });

  it('reads 0x-prefixed hex ids in either case', () => {
    expect(parseId('0x05')).toBe(5);
    expect(parseId('0xab')).toBe(0xab);
    expect(parseId('0XFF')).toBe(255);
  });

  it('rejects an id above 255 with a message naming the parameter, the value and the forms', () => {
    expect(messageOf(() => parseId('0x1ff'))).toBe(
      'step error: {id} "0x1ff" is not an AP id: write a decimal (5) or 0x-prefixed hex (0x05) number from 0 to 255.',
    );
    expect(messageOf(() => parseId('256'))).toContain('"256" is not an AP id');
  });

  it('rejects words, negative numbers, fractions and bare 0x', () => {
    for (const bad of ['five', '-1', '5.4', '0x', '1e2', ''])
      expect(messageOf(() => parseId(bad))).toContain(`{id} "${bad}" is not an AP id`);
  });

  it('hides the JavaScript stack of the error it throws', () => {
    try {
      parseId('0x1ff');
    } catch (err) {
      expect((err as Error).stack).toBe((err as Error).message);
    }
  });
});

describe('{ids}', () => {
  it('reads a single id', () => {
    expect(parseIds('5')).toEqual([5]);
  });

  it('reads lists separated by commas and "and"', () => {
    expect(parseIds('1, 2 and 5')).toEqual([1, 2, 5]);
    expect(parseIds('0x04,0x47')).toEqual([4, 0x47]);
    expect(parseIds('4 and 5')).toEqual([4, 5]);
  });

  it('expands ranges, in hex too, and mixes them with single ids', () => {
    expect(parseIds('0-3')).toEqual([0, 1, 2, 3]);
    expect(parseIds('0x0e-0x10 and 1')).toEqual([1, 14, 15, 16]);
  });

  it('sorts and removes duplicates', () => {
    expect(parseIds('5, 1-3 and 2')).toEqual([1, 2, 3, 5]);
  });

  it('names the bad item of a list', () => {
    expect(messageOf(() => parseIds('1, 2 or 5'))).toContain('{ids} "1, 2 or 5" is not a list of AP ids: "2 or 5" is not an id');
  });

  it('rejects a descending range and a range past 255', () => {
    expect(messageOf(() => parseIds('3-0'))).toContain('the range "3-0" must go from a smaller to a larger id');
    expect(messageOf(() => parseIds('250-300'))).toContain('the range "250-300"');
  });

  it('rejects an empty item', () => {
    expect(messageOf(() => parseIds('1,,2'))).toContain('"" is not an id');
  });

  it('has a pattern that stops before the text that follows the list', () => {
    const step = new RegExp(`^adapters (${IDS_PATTERN}) and domains (${IDS_PATTERN})$`);
    expect(step.exec('adapters 2 and domains 4 and 5')?.slice(1)).toEqual(['2', '4 and 5']);
    expect(step.exec('adapters 1, 2 and 3 and domains 0-15')?.slice(1)).toEqual(['1, 2 and 3', '0-15']);
  });
});

describe('{apqn}', () => {
  it('reads the kernel format: 2 hex digits, a dot, 4 hex digits', () => {
    expect(parseApqn('05.0004')).toBe(0x0504);
    expect(parseApqn('ff.00ab')).toBe(0xffab);
    expect(parseApqn('0A.000F')).toBe(0x0a0f);
  });

  it('rejects short, decimal-looking or unseparated forms with the accepted format', () => {
    for (const bad of ['5.4', '05.04', '0504', '05:0004', 'x5.0004'])
      expect(messageOf(() => parseApqn(bad))).toBe(
        `step error: {apqn} "${bad}" is not an APQN: write it as the kernel prints it in the matrix attribute: 2 hex digits for the adapter (APID), a dot, 4 hex digits for the domain (APQI), e.g. 05.0004.`,
      );
  });

  it('rejects a domain above 0xff', () => {
    expect(messageOf(() => parseApqn('05.0100'))).toContain('the domain 0x0100 is above 0x00ff');
  });
});

describe('{apqns}', () => {
  it('reads lists separated by commas and "and", sorted', () => {
    expect(parseApqns('05.0004, 05.0005 and 06.0004')).toEqual([0x0504, 0x0505, 0x0604]);
    expect(parseApqns('06.0004,05.0004')).toEqual([0x0504, 0x0604]);
  });

  it('names the bad APQN of a list', () => {
    expect(messageOf(() => parseApqns('05.0004 and 5.4'))).toContain('{apqns} "05.0004 and 5.4" is not a list of APQNs: "5.4" is not an APQN');
  });

  it('has a pattern that captures the whole list at the end of a step', () => {
    const step = new RegExp(`^sees AP queues (${APQNS_PATTERN})$`);
    expect(step.exec('sees AP queues 05.0004, 05.0005 and 06.0004')?.[1]).toBe('05.0004, 05.0005 and 06.0004');
  });
});

describe('{errno}', () => {
  it('reads the errno names the simulator returns', () => {
    for (const name of ['ENODEV', 'EINVAL', 'EPERM', 'EBUSY', 'EADDRINUSE', 'EADDRNOTAVAIL', 'EOPNOTSUPP', 'ENXIO', 'ERANGE'])
      expect(parseErrno(name)).toBe(name);
  });

  it('rejects an unknown name and lists the known ones', () => {
    const message = messageOf(() => parseErrno('ENOPE'));
    expect(message).toContain('{errno} "ENOPE" is not an errno name the simulated kernel returns');
    expect(message).toContain('EADDRNOTAVAIL');
  });

  it('suggests the plain name for a negative or lower-case errno', () => {
    expect(messageOf(() => parseErrno('-ENODEV'))).toContain('(write ENODEV: the name in capitals, without a minus sign)');
    expect(messageOf(() => parseErrno('ebusy'))).toContain('(write EBUSY');
  });
});

describe('{rc}', () => {
  it('reads 0x-prefixed hex response codes', () => {
    expect(parseRc('0x00')).toBe(0);
    expect(parseRc('0x01')).toBe(1);
    expect(parseRc('0x42')).toBe(0x42);
    expect(parseRc('0x5')).toBe(5);
  });

  it('rejects decimal and over-long codes with the accepted form', () => {
    for (const bad of ['1', '0x100', 'normal'])
      expect(messageOf(() => parseRc(bad))).toContain(`{rc} "${bad}" is not an AP response code: write it in hex with 0x`);
  });
});

describe('alternatives', () => {
  it('turns "control domain" into the attribute stem control_domain', () => {
    expect(parseMatrixKind('control domain')).toBe('control_domain');
    expect(parseMatrixKind('adapter')).toBe('adapter');
  });

  it('accepts the writable mdev attributes and explains a typo', () => {
    expect(parseMatrixAttr('assign_control_domain')).toBe('assign_control_domain');
    expect(messageOf(() => parseMatrixAttr('assign_adaptor'))).toContain('{matrix_attr} "assign_adaptor" is not a writable attribute');
  });

  it('accepts the AP instructions and explains an unknown function code', () => {
    expect(parseApInstruction('PQAP(TAPQ)')).toBe('PQAP(TAPQ)');
    expect(parseApInstruction('NQAP')).toBe('NQAP');
    expect(messageOf(() => parseApInstruction('PQAP(FOO)'))).toContain('{ap_instruction} "PQAP(FOO)" is not an AP instruction');
  });
});

describe('formatIds', () => {
  it('prints sets compactly for messages', () => {
    expect(formatIds([])).toBe('{}');
    expect(formatIds([2])).toBe('{2}');
    expect(formatIds([4, 5])).toBe('{4, 5}');
    expect(formatIds([0, 1, 2, 3, 7])).toBe('{0-3, 7}');
  });
});

describe('crypto attribute (KVM_S390_VM_CRYPTO)', () => {
  it('takes the uapi name with or without the KVM_S390_VM_CRYPTO_ prefix', () => {
    expect(parseCryptoAttr('ENABLE_APIE')).toBe('ENABLE_APIE');
    expect(parseCryptoAttr('KVM_S390_VM_CRYPTO_DISABLE_AES_KW')).toBe('DISABLE_AES_KW');
  });
  it('takes a decimal attribute number, defined or not (the kernel answers -ENXIO for one it lacks)', () => {
    expect(parseCryptoAttr('4')).toBe(4);
    expect(parseCryptoAttr('99')).toBe(99);
  });
  it('refuses anything else, listing the names and the number form', () => {
    const m = messageOf(() => parseCryptoAttr('ENABLE_FOO'));
    expect(m).toContain('step error:');
    expect(m).toContain('ENABLE_APIE');
    expect(m).toContain('"99"');
    expect(messageOf(() => parseCryptoAttr('-1'))).toContain('"-1"');
    expect(messageOf(() => parseCryptoAttr('0x4'))).toContain('"0x4"');
  });
});
