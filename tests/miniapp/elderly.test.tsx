import { fireEvent, render, screen } from '@testing-library/react';
import Taro from '@tarojs/taro';
import { PageShell } from '../../miniapp/src/components/PageShell';
import { ElderlySwitch } from '../../miniapp/src/components/ElderlySwitch';
import { resetAppState } from './support/reset';

function Screen() {
  return (
    <PageShell title='我的'>
      <ElderlySwitch />
    </PageShell>
  );
}

describe('长辈版 (elderly mode)', () => {
  beforeEach(resetAppState);

  it('one tap turns it on: the page root gets the class, the choice is stored', () => {
    const { container } = render(<Screen />);
    const shell = container.querySelector('.shell')!;
    expect(shell.classList.contains('shell--elderly')).toBe(false);
    expect(screen.getByTestId('elderly-switch').getAttribute('aria-checked')).toBe('false');

    fireEvent.click(screen.getByTestId('elderly-switch'));

    expect(shell.classList.contains('shell--elderly')).toBe(true);
    expect(shell.getAttribute('data-elderly')).toBe('1');
    expect(screen.getByTestId('elderly-switch').getAttribute('aria-checked')).toBe('true');
    expect(document.documentElement.classList.contains('elderly')).toBe(true);
    expect(JSON.parse(Taro.getStorageSync('cs.elderly.v1'))).toEqual({ on: true });

    fireEvent.click(screen.getByTestId('elderly-switch'));
    expect(shell.classList.contains('shell--elderly')).toBe(false);
    expect(JSON.parse(Taro.getStorageSync('cs.elderly.v1'))).toEqual({ on: false });
  });

  it('a stored choice is used when the app starts again', () => {
    Taro.setStorageSync('cs.elderly.v1', JSON.stringify({ on: true }));
    jest.isolateModules(() => {
      const { elderlyStore } = require('../../miniapp/src/store/elderly');
      expect(elderlyStore.get()).toBe(true);
    });
    Taro.setStorageSync('cs.elderly.v1', JSON.stringify({ on: false }));
    jest.isolateModules(() => {
      const { elderlyStore } = require('../../miniapp/src/store/elderly');
      expect(elderlyStore.get()).toBe(false);
    });
  });

  it('every page shell on screen follows the one switch', () => {
    const { container } = render(
      <>
        <Screen />
        <PageShell title='另一页' />
      </>,
    );
    fireEvent.click(screen.getByTestId('elderly-switch'));
    const shells = Array.from(container.querySelectorAll('.shell'));
    expect(shells).toHaveLength(2);
    expect(shells.every((s) => s.classList.contains('shell--elderly'))).toBe(true);
  });
});
