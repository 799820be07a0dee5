import { render } from 'preact';
import { OptionsPage } from '../../pages/options/OptionsPage.tsx';
import '../../pages/options/options.css';

render(<OptionsPage />, document.getElementById('app')!);
