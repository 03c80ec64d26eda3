#!/usr/bin/env bash
# Starts CUPS (no systemd on CI machines) and makes sure the cups-pdf queue "PDF" exists.
# Printed jobs land as PDF files in the cups-pdf output folder (~/PDF for root).
set -euo pipefail
case "${1:-start}" in
  start)
    running() { lpstat -r 2>/dev/null | grep -q 'scheduler is running'; }
    if ! running; then
      (setsid /usr/sbin/cupsd -f >/dev/null 2>&1 < /dev/null &)
      for _ in $(seq 1 50); do running && break; sleep 0.2; done
    fi
    running || { echo "cups: scheduler did not start" >&2; exit 1; }
    if ! lpstat -p PDF >/dev/null 2>&1; then
      ppd=$(ls /usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd 2>/dev/null || true)
      if [ -n "$ppd" ]; then lpadmin -p PDF -E -v cups-pdf:/ -P "$ppd"; else lpadmin -p PDF -E -v cups-pdf:/ -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd; fi
    fi
    cupsenable PDF && cupsaccept PDF
    echo "cups: queue PDF ready"
    ;;
  stop)
    pkill -x cupsd || true
    ;;
esac
