import { describe, expect, it } from 'vitest';
import { Bitmap256 } from '../bitmap';
import { eventsOf, errnoOf, hostWithMdev, must, newHost, q } from '../__test__/fixtures';
import { parseMaskString } from './mask-parse';

const ZERO = '0x' + '0'.repeat(64);
const FULL = '0x' + 'f'.repeat(64);
/** `0x` + 64 hex digits with `head` at the left, zero padded on the right. */
const hex = (head: string, fill = '0') => '0x' + head + fill.repeat(64 - head.length);

// apmask_store / aqmask_store: ap_parse_mask_str, hex2bitmap, modify_bitmap (reference §1.2, §2.2).
describe('AP bus mask write syntax', () => {
  it('shows apmask and aqmask as 0x plus 64 hex digits, all ones by default', () => {
    const sys = newHost();
    expect(sys.apBus.showMask('apmask')).toBe(FULL);
    expect(sys.apBus.showMask('aqmask')).toBe(FULL);
  });

  it.each([
    ['0x0f', hex('0f')],
    ['0f', hex('0f')],
    ['x0f', hex('0f')],
    ['8', hex('8')],
    ['0xF0\n', hex('f0')],
    ['0x' + 'a'.repeat(64), '0x' + 'a'.repeat(64)],
    ['0x', ZERO],
  ])('accepts the absolute hex string %j and pads it on the right: %s', (text, shown) => {
    const sys = newHost();
    expect(errnoOf(sys.apBus.storeMask('apmask', text))).toBe('ok');
    expect(sys.apBus.showMask('apmask')).toBe(shown);
  });

  it.each([
    ['0x' + 'f'.repeat(65), 'more than 64 hex digits'],
    ['0xfg', 'a character that is not a hex digit'],
    ['0x0f 1', 'a space'],
    ['0xff\n\n', 'a second newline'],
  ])('rejects %j with EINVAL (%s) and leaves the mask unchanged', (text) => {
    const sys = newHost();
    must(sys.apBus.storeMask('apmask', '0x0f'));
    const r = sys.apBus.storeMask('apmask', text);
    expect(errnoOf(r)).toBe('EINVAL');
    expect(r.ok ? '' : r.fn).toBe('apmask_store');
    expect(sys.apBus.showMask('apmask')).toBe(hex('0f'));
  });

  it.each([
    ['-0', hex('7', 'f')],
    ['-0,-1', hex('3', 'f')],
    ['-0-3', hex('0', 'f')],
    ['-0-3,+2', hex('2', 'f')],
    ['-0-255,+0-3', hex('f')],
    ['-0-255,+255', '0x' + '0'.repeat(63) + '1'],
    ['-4-7\n', hex('f0', 'f')],
    ['-0x10', hex('ffff7', 'f')],
  ])('applies the relative edit %j to the current mask: %s', (text, shown) => {
    const sys = newHost();
    expect(errnoOf(sys.apBus.storeMask('aqmask', text))).toBe('ok');
    expect(sys.apBus.showMask('aqmask')).toBe(shown);
  });

  it.each([
    ['+3-1', 'a reversed range'],
    ['+256', 'id 256'],
    ['-0-256', 'a range reaching 256'],
    ['+', 'a sign without a number'],
    ['+1,2', 'a term without + or -'],
    ['+1-', 'a range without its end'],
  ])('rejects %j with EINVAL (%s) and leaves the mask unchanged', (text) => {
    const sys = newHost();
    must(sys.apBus.storeMask('apmask', '-0'));
    expect(errnoOf(sys.apBus.storeMask('apmask', text))).toBe('EINVAL');
    expect(sys.apBus.showMask('apmask')).toBe(hex('7', 'f'));
  });

  it.each(['+2147483648', '-4294967295', '+0-2147483648'])(
    'models 4.20 modify_bitmap keeping %j in an int (above INT_MAX) as an oops in modify_bitmap',
    (text) => {
      const sys = newHost();
      const r = sys.apBus.storeMask('apmask', text);
      expect(r.ok).toBe(false);
      expect(r.ok ? '' : r.fn).toBe('modify_bitmap');
      expect(sys.oops?.fn).toBe('modify_bitmap');
      expect(sys.oops?.detail).toContain(text);
      expect(sys.events.filter((e) => e.type === 'oops')).toHaveLength(1);
    },
  );

  it('rejects +2147483647 (INT_MAX still fits the int) with EINVAL as an id above 255, not an oops', () => {
    const sys = newHost();
    expect(errnoOf(sys.apBus.storeMask('apmask', '+2147483647'))).toBe('EINVAL');
    expect(sys.oops).toBeUndefined();
  });

  it('parseMaskString edits a copy: the current mask is not modified', () => {
    const cur = Bitmap256.full();
    const r = parseMaskString('-0-255', cur);
    expect(r.kind).toBe('ok');
    expect(cur.toHex()).toBe(FULL);
  });
});

// ap_device_probe / ap_bus_revise_bindings (reference §1.2, §2.2).
describe('AP bus binding', () => {
  it('binds every configured queue to the default driver cex4queue at boot', () => {
    const sys = newHost();
    expect(sys.apBus.driverOf(q('00.0000'))).toBe('cex4queue');
    expect(sys.apBus.driverOf(q('03.000f'))).toBe('cex4queue');
    expect(sys.apBus.driverOf(q('04.0000'))).toBeUndefined(); // adapter 4 is not configured
    expect(sys.apBus.driverOf(q('00.0010'))).toBeUndefined(); // domain 16 is not configured
  });

  it('leaves a queue removed from the pool unbound while vfio_ap is not loaded, and vfio_ap binds it at load', () => {
    const sys = newHost();
    must(sys.apBus.storeMask('apmask', '-2'));
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('none');
    expect(sys.apBus.driverOf(q('01.0004'))).toBe('cex4queue');
    must(sys.vfioAp.load());
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('01.0004'))).toBe('cex4queue');
  });

  it('rebinds queues after a mask change in both directions (ap_bus_revise_bindings)', () => {
    const sys = newHost();
    must(sys.vfioAp.load());
    must(sys.apBus.storeMask('aqmask', '-4'));
    for (const a of [0, 1, 2, 3]) expect(sys.apBus.driverOf(q(`0${a}.0004`))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('00.0005'))).toBe('cex4queue');
    const from = sys.events.length;
    must(sys.apBus.storeMask('aqmask', '+4'));
    for (const a of [0, 1, 2, 3]) expect(sys.apBus.driverOf(q(`0${a}.0004`))).toBe('cex4queue');
    expect(eventsOf(sys, '__ap_revise_reserved', from)).toHaveLength(1);
    expect(eventsOf(sys, '__ap_revise_reserved', from)[0]!.outcome).toBe('4 queues');
  });

  it('an absolute write rebinds exactly the queues whose pool membership changed', () => {
    const sys = newHost();
    must(sys.vfioAp.load());
    // ids 0 and 1 stay in the pool, 2 and 3 leave it
    must(sys.apBus.storeMask('apmask', '0xc0'));
    expect(sys.apBus.driverOf(q('00.0000'))).toBe('cex4queue');
    expect(sys.apBus.driverOf(q('01.0000'))).toBe('cex4queue');
    expect(sys.apBus.driverOf(q('02.0000'))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('03.000f'))).toBe('vfio_ap');
  });

  it('accepts a mask edit that gives an APQN of an mdev in use back to zcrypt (4.20 has no in_use; §2.2)', () => {
    const sys = hostWithMdev();
    must(sys.qemu.start('g1', { mdev: 'm1' }));
    const from = sys.events.length;
    expect(errnoOf(sys.apBus.storeMask('apmask', '+2'))).toBe('ok');
    expect(sys.apBus.driverOf(q('02.0004'))).toBe('cex4queue');
    // vfio_ap's remove callback does nothing in 4.20: the guest's CRYCB keeps the APQN.
    expect(eventsOf(sys, 'vfio_ap_queue_dev_remove', from).length).toBeGreaterThan(0);
    expect(sys.inspect.crycb('g1')).toMatchObject({ apm: [2], aqm: [4] });
    expect(sys.guest.execute('g1', 'PQAP(TAPQ)', q('02.0004'))).toEqual({ kind: 'completed', cc: 0, rc: 0 });
  });

  it('binds CEX4..CEX6 to vfio_ap, maps CEX7/CEX8 to CEX6, and binds no driver to older adapters', () => {
    const sys = newHost();
    sys.host.configure([2, 3, 4, 5], [0]);
    sys.host.setAdapterType(2, 10); // CEX4
    sys.host.setAdapterType(3, 14); // CEX8
    sys.host.setAdapterType(4, 7); // CEX3C
    sys.host.setAdapterType(5, 5); // below CEX2A: no device
    must(sys.apBus.storeMask('apmask', '-2-5'));
    must(sys.vfioAp.load());
    expect(sys.apBus.driverOf(q('02.0000'))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('03.0000'))).toBe('vfio_ap');
    expect(sys.apBus.driverOf(q('04.0000'))).toBe('none');
    expect(sys.apBus.driverOf(q('05.0000'))).toBeUndefined();
  });

  it('creates no queue devices when the host has no AP instructions (ap_module_init fails)', () => {
    const sys = newHost();
    sys.host.removeApInstructions();
    expect(sys.apBus.driverOf(q('00.0000'))).toBeUndefined();
    expect(eventsOf(sys, 'ap_module_init')[0]!.outcome).toBe('-ENODEV');
  });
});
