import { render } from 'preact';
import { PackPage } from '../../pages/pack/PackPage.tsx';
import '../../pages/options/options.css';
import '../../ui/library/library.css';

render(<PackPage />, document.getElementById('app')!);
