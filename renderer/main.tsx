import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { openDatabase } from './db/schema';
import { detectHost } from './host';
import { ServicesContext } from './services';
import { StartupError } from './ui/StartupError';
import './ui/theme.css';

async function boot(): Promise<void> {
  const root = createRoot(document.getElementById('root')!);
  const host = detectHost();
  try {
    const info = await host.info();
    const db = openDatabase();
    await db.open();
    root.render(
      <StrictMode>
        <ServicesContext.Provider value={{ host, db, info }}>
          <App />
        </ServicesContext.Provider>
      </StrictMode>,
    );
  } catch (error) {
    root.render(<StartupError error={error} />);
  }
}

void boot();
