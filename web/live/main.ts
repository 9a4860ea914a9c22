// The live risk list page served by `sandtable risklist serve` (second vite entry).
import './live-app.ts';
