// Side-effect module: import it before react-dom so React sees a DOM (jsdom) at load time.
import { installDom } from './dom';

export const dom = installDom();
