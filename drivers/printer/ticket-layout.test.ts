import { describe, expect, it } from 'vitest';
import { decodeEscPos } from './escpos-decoder.js';
import { renderTicket } from './ticket-layout.js';
import { sampleTicket } from '../../tests/helpers/printer.js';


describe.each(['epson', 'star'] as const)('ticket layout (%s)', (type) => {
  it('decodes to the Japanese office name, the enlarged number, details, QR and one cut', () => {
    const [ticket, ...rest] = decodeEscPos(renderTicket(sampleTicket(), type), type);
    expect(rest).toEqual([]);
    expect(ticket!.lines).toContain('熊本事務所');
    expect(ticket!.lines).toContain('Kumamoto Office');
    expect(ticket!.large).toEqual(['A-023']);
    expect(ticket!.lines).toContain('発行 2024-05-01 10:23'); // Asia/Tokyo
    expect(ticket!.lines).toContain('受取者 ヤマダ＊＊ 様');
    expect(ticket!.lines).toContain('待ち時間の目安 約 12 分 / about 12 min');
    expect(ticket!.qrPayloads).toEqual(['T-4301-20240501-0023']);
    expect(ticket!.cuts).toBe(1);
  });

  it('sends Shift_JIS bytes inside Kanji mode, not UTF-8', () => {
    const bytes = renderTicket(sampleTicket(), type);
    expect(bytes.includes(Buffer.from('熊本', 'utf8'))).toBe(false);
    expect(bytes.includes(Buffer.from([0x8c, 0x46, 0x96, 0x7b]))).toBe(true); // 熊本 in Shift_JIS
  });

  it('leaves out the receiver and the estimate when unknown', () => {
    const [ticket] = decodeEscPos(renderTicket(sampleTicket({ receiverNameMasked: null, estimatedWaitMinutes: null, itemCount: 1 }), type), type);
    expect(ticket!.lines.some((l) => l.startsWith('受取者'))).toBe(false);
    expect(ticket!.lines.some((l) => l.includes('目安'))).toBe(false);
    expect(ticket!.lines).toContain('交付物 1 点 / 1 item');
  });

  it('a slip sends the person to the counter: no number, no queue figures, no QR', () => {
    const slip = sampleTicket({ slip: true, number: '', lines: ['番号札を発行できませんでした。'] });
    const [printed, ...rest] = decodeEscPos(renderTicket(slip, type), type);
    expect(rest).toEqual([]);
    expect(printed!.lines).toContain('窓口へお越しください / Please go to the counter');
    expect(printed!.lines).toContain('番号札を発行できませんでした。');
    expect(printed!.lines).toContain('この用紙を窓口でお見せください。');
    expect(printed!.large).toEqual([]);
    expect(printed!.qrPayloads).toEqual([]);
    expect(printed!.lines.some((l) => l.includes('受付番号') || l.includes('お待ちの方') || l.includes('番号が呼ばれたら'))).toBe(false);
    expect(printed!.cuts).toBe(1);
  });
});
