import { render } from 'preact';
import { OptionsPage } from '../../ui/options/OptionsPage.tsx';
import '../../ui/options/options.css';

render(<OptionsPage />, document.getElementById('app')!);
