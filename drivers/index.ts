// What the daemon uses from the drivers. Nothing here starts at import; build, then start().
export type { RawScan, DeviceState, DeviceStateEvent, ScanSource, ScanSourceKind, ScanSourceEvents, DriverLogger } from './types.js';
export { TypedEmitter, type EventMap } from './events.js';
export { createScanSources } from './scan-sources.js';
export { SerialScanner, type SerialScannerOptions } from './scanner/serial-scanner.js';
export { HidScanner, type HidScannerOptions } from './scanner/hid-scanner.js';
export { listSerialPorts, type PortInfo } from './scanner/serial-transport.js';
export type { TicketContent, PrinterStatus, TicketPrinter, PrinterType, PrintOptions, PrintResult, PrintFailure } from './printer/types.js';
export { isReady, describeStatus } from './printer/types.js';
export { createPrinter, type PrinterOptions } from './printer/ticket-printer.js';
export { renderTicket, ticketLines, REPRINT_MARK, type LayoutOptions } from './printer/ticket-layout.js';
export { VirtualPrinter, type VirtualPrinterOptions, type VirtualPrinterEvents } from './printer/virtual-printer.js';
export { decodeEscPos, type DecodedTicket } from './printer/escpos-decoder.js';
