import { useEffect, useState } from 'react';
import { Image, Text, View } from '@tarojs/components';
import Taro from '@tarojs/taro';
import { API_BASE, IS_H5 } from '../env';
import { refreshTokens } from '../services/request';
import { getTokens } from '../services/tokens';
import './AuthImage.scss';

/**
 * An image the API serves only to signed-in people (a photo through the case,
 * topic or nomination that holds it, the poster's mini-program code): `path` is
 * the address the API gave, used as is. <Image src> cannot send the token, so the file
 * is fetched with it first: the browser makes a blob URL, WeChat downloads it
 * (Taro.downloadFile with the Authorization header) into a temporary file.
 * An expired token is refreshed once, as every request does.
 */
async function fetchOnce(url: string, token: string | null): Promise<{ status: number; src: string | null }> {
  const header: Record<string, string> = token ? { Authorization: `Bearer ${token}` } : {};
  if (IS_H5) {
    const res = await fetch(url, { headers: header });
    if (res.status < 200 || res.status >= 300) return { status: res.status, src: null };
    return { status: res.status, src: URL.createObjectURL(await res.blob()) };
  }
  const res = await Taro.downloadFile({ url, header });
  return { status: res.statusCode, src: res.statusCode >= 200 && res.statusCode < 300 ? res.tempFilePath : null };
}

export async function loadAuthImage(path: string): Promise<string> {
  const url = `${API_BASE}${path}`;
  let res = await fetchOnce(url, getTokens()?.accessToken ?? null);
  if (res.status === 401) {
    const pair = await refreshTokens();
    if (pair) res = await fetchOnce(url, pair.accessToken);
  }
  if (!res.src) throw new Error(`image ${res.status}`);
  return res.src;
}

export function AuthImage({ path, className, alt, testId }: { path: string; className?: string; alt: string; testId?: string }) {
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let live = true;
    let made: string | null = null;
    setSrc(null);
    setFailed(false);
    loadAuthImage(path)
      .then((s) => {
        made = s;
        if (live) setSrc(s);
      })
      .catch(() => {
        if (live) setFailed(true);
      });
    return () => {
      live = false;
      if (IS_H5 && made?.startsWith('blob:')) URL.revokeObjectURL(made);
    };
  }, [path]);

  if (src) return <Image className={className} src={src} mode='aspectFill' aria-label={alt} data-testid={testId} />;
  return (
    <View className={`${className ?? ''} auth-image--empty`} data-testid={testId}>
      <Text className='auth-image__text'>{failed ? '图片没有加载出来' : '正在加载…'}</Text>
    </View>
  );
}
