/**
 * The flight's passengers as a virtualized list: only the rows on screen are rendered, so a
 * 400-passenger manifest opens and scrolls instantly. Instant search and filters on top.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef, type KeyboardEvent } from 'react';
import { CABINS, PASSENGER_STATUSES, type Passenger } from '../../../shared/domain/schemas';
import { displayName } from '../../../shared/domain/rules';
import { selectPassenger } from '../../state/navigation';
import { strings } from '../../strings';
import { useStationToday } from '../../ui/hooks';
import { PassengerFlags, SsrBadges, StatusTag } from '../../ui/PassengerBadges';
import { looksLikeBoardingPass } from '../boarding/lookup';
import { passengerOfScan, queryManifest, ssrCodesOf, type ManifestQuery, type SortKey } from './manifest-query';

const s = strings.manifest;
const ROW_HEIGHT = 52;

export function ManifestList({
  passengers,
  query,
  onQuery,
  selectedId,
  onOpen,
}: {
  passengers: Passenger[];
  query: ManifestQuery;
  onQuery: (q: ManifestQuery) => void;
  selectedId: string | null;
  onOpen?: (p: Passenger) => void;
}) {
  const today = useStationToday();
  const rows = useMemo(() => queryManifest(passengers, query), [passengers, query]);
  const ssrs = useMemo(() => ssrCodesOf(passengers), [passengers]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library -- the list re-renders with its data anyway; nothing here is memoized by the compiler
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
  });

  function choose(p: Passenger) {
    selectPassenger(p.id);
    onOpen?.(p);
  }

  function onSearchKey(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter' && looksLikeBoardingPass(query.text)) {
      // A boarding pass scanned into the search box: open that passenger.
      const scanned = passengerOfScan(query.text, passengers, today);
      onQuery({ ...query, text: '' });
      if (scanned) choose(scanned);
      return;
    }
    if (e.key === 'Enter' && rows[0]) choose(rows[0]);
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      scrollRef.current?.querySelector<HTMLElement>('[role="row"]')?.focus();
    }
  }

  function onRowKey(e: KeyboardEvent<HTMLDivElement>, index: number) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      choose(rows[index]!);
    } else if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const next = Math.max(0, Math.min(rows.length - 1, index + (e.key === 'ArrowDown' ? 1 : -1)));
      virtualizer.scrollToIndex(next);
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLElement>(`[data-index="${next}"]`)?.focus());
    }
  }

  return (
    <div className="manifest">
      <div className="manifest-tools">
        <input
          className="input-big grow"
          placeholder={s.search}
          aria-label={s.search}
          value={query.text}
          onChange={(e) => onQuery({ ...query, text: e.target.value })}
          onKeyDown={onSearchKey}
          data-testid="manifest-search"
          autoFocus
        />
        <select
          aria-label={s.filters.status}
          value={query.status}
          onChange={(e) => onQuery({ ...query, status: e.target.value as ManifestQuery['status'] })}
        >
          <option value="all">
            {s.filters.status}: {s.filters.all}
          </option>
          {PASSENGER_STATUSES.map((st) => (
            <option key={st} value={st}>
              {strings.paxStatus[st]}
            </option>
          ))}
        </select>
        <select
          aria-label={s.filters.cabin}
          value={query.cabin}
          onChange={(e) => onQuery({ ...query, cabin: e.target.value as ManifestQuery['cabin'] })}
        >
          <option value="all">
            {s.filters.cabin}: {s.filters.all}
          </option>
          {CABINS.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label={s.filters.ssr} value={query.ssr} onChange={(e) => onQuery({ ...query, ssr: e.target.value })}>
          <option value="all">
            {s.filters.ssr}: {s.filters.all}
          </option>
          {ssrs.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        <select aria-label={s.filters.sort} value={query.sort} onChange={(e) => onQuery({ ...query, sort: e.target.value as SortKey })}>
          {(Object.keys(s.sort) as SortKey[]).map((k) => (
            <option key={k} value={k}>
              {s.filters.sort}: {s.sort[k]}
            </option>
          ))}
        </select>
      </div>
      <div className="manifest-count" aria-live="polite">
        {s.count(rows.length, passengers.length)}
      </div>
      <div role="grid" aria-rowcount={rows.length + 1} aria-label="Passengers" className="manifest-grid">
        <div className="manifest-head" role="row" aria-rowindex={1}>
          <span role="columnheader">{s.columns.seq}</span>
          <span role="columnheader">{s.columns.name}</span>
          <span role="columnheader">{s.columns.seat}</span>
          <span role="columnheader">{s.columns.cabin}</span>
          <span role="columnheader">{s.columns.status}</span>
          <span role="columnheader">
            {s.columns.ssr} / {s.columns.flags}
          </span>
          <span role="columnheader">{s.columns.bags}</span>
        </div>
        <div ref={scrollRef} className="manifest-scroll" role="rowgroup" data-testid="manifest-list">
          {rows.length === 0 && <p className="empty">{s.empty}</p>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const p = rows[item.index]!;
              return (
                <div
                  key={p.id}
                  role="row"
                  tabIndex={0}
                  aria-selected={p.id === selectedId}
                  data-index={item.index}
                  aria-rowindex={item.index + 2}
                  data-testid={`pax-${p.id}`}
                  className={`manifest-row${p.id === selectedId ? ' selected' : ''}`}
                  style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT, transform: `translateY(${item.start}px)` }}
                  onClick={() => choose(p)}
                  onKeyDown={(e) => onRowKey(e, item.index)}
                >
                  <span role="gridcell" className="num">
                    {p.seqNo ?? '—'}
                  </span>
                  <span role="gridcell" className="strong name">
                    {displayName(p)}
                  </span>
                  <span role="gridcell" className="strong">
                    {p.seat ?? (p.paxType === 'INF' ? 'INF' : '—')}
                  </span>
                  <span role="gridcell">{p.cabin}</span>
                  <span role="gridcell">
                    <StatusTag status={p.status} />
                  </span>
                  <span role="gridcell" className="flags">
                    <PassengerFlags p={p} />
                    <SsrBadges ssrs={p.ssrs} />
                  </span>
                  <span role="gridcell" className="num">
                    {bagsLabel(p)}
                  </span>
                </div>
              );
            })}
          </div>
        </div>
      </div>
    </div>
  );
}

function bagsLabel(p: Passenger): string {
  if (p.bags.count === 0) return '';
  return p.bags.weightKg > 0 ? `${p.bags.count}/${p.bags.weightKg}` : `${p.bags.count}pc`;
}
