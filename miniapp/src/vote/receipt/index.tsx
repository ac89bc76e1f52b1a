import { useState } from 'react';
import { Input, Text, View } from '@tarojs/components';
import { useLoad, useRouter } from '@tarojs/taro';
import type { BallotReceiptView } from '@community/shared';
import { PageShell } from '../../components/PageShell';
import { Btn, Card, Field, Notice, P } from '../../components/ui';
import { Api } from '../../services/endpoints';
import { go, Routes, withQuery } from '../../services/navigate';
import { messageOf } from '../../services/request';
import { Fact, normaliseReceipt, shortHash } from '../parts';
import '../vote.scss';

/**
 * 查回执 (V11): the receipt code given after voting finds the ballot in the public
 * chain, without saying who cast it or what it chose. Forgiving about case,
 * spaces and dashes; the number in the chain once the ballot is sealed.
 */
export default function ReceiptPage() {
  const { params } = useRouter();
  const [code, setCode] = useState(params.code ?? '');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [found, setFound] = useState<BallotReceiptView | null>(null);

  async function check(text = code) {
    setError(null);
    setFound(null);
    const normal = normaliseReceipt(text);
    if (!normal) {
      setError('回执码是12位字母和数字，例如 ABCD-EFGH-JKMN');
      return;
    }
    setCode(normal);
    setBusy(true);
    try {
      setFound(await Api.receipt(normal));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  // Opened from the ballot's 查一查我的票: look it up straight away.
  useLoad(() => {
    if (params.code) void check(params.code);
  });

  return (
    <PageShell title='查回执' subtitle='看看您的票是否已经计入' className='page-receipt'>
      <Card>
        <Field label='回执码' hint='投票成功后给您的12位码，大小写和横线都不要紧' error={error ? [error] : undefined} testId='receipt'>
          <Input
            className='input receipt-input'
            value={code}
            maxlength={20}
            placeholder='XXXX-XXXX-XXXX'
            onInput={(e) => setCode(e.detail.value)}
            onConfirm={() => void check()}
            data-testid='receipt-input'
          />
        </Field>
        <Btn testId='receipt-submit' loading={busy} onClick={() => void check()}>
          查询
        </Btn>
      </Card>

      {found ? (
        <Card title={found.sealed ? '您的票已计入' : '您的票已收到'} className='card--accent' testId='receipt-found'>
          <Notice
            tone={found.sealed ? 'ok' : 'wait'}
            testId='receipt-state'
            text={found.sealed && found.seq !== null ? `已计入第${found.seq}批（共${found.batchSize ?? 1}张）` : '已收到，投票结束时统一封存计入'}
          />
          <View className='vote-facts'>
            <Fact k='投票' v={found.pollTitle} />
            <Fact k='回执码' v={found.receipt} />
            {found.hash ? <Fact k='链上记录' v={shortHash(found.hash)} testId='receipt-hash' /> : null}
          </View>
          <P muted>
            {found.sealed
              ? '这张票和同一批的其他票一起封存在公开的哈希链里，链上只有这一批的合计，不能再改，也看不出谁投了什么。'
              : '不记名投票的票在投票结束时统一打乱、分批封存进公开的哈希链，到时再查就能看到它计入了第几批。'}
          </P>
          <Btn kind='plain' onClick={() => go(withQuery(Routes.votePoll, { id: found.pollId }))}>
            查看这次投票
          </Btn>
        </Card>
      ) : null}
      <Text className='p p--muted'>回执码只证明您的票已收到并计入，看不出您投了什么，拿给别人看也证明不了您投了什么。</Text>
    </PageShell>
  );
}
