import { useEffect, useState } from 'react';
import { Text, View } from '@tarojs/components';
import type { BuildingView, RoomView, UnitView } from '@community/shared';
import { Api } from '../services/endpoints';
import { messageOf } from '../services/request';
import { ChoiceGrid, FieldError, Loading, Notice } from './ui';

export interface PickedRoom {
  room: RoomView;
  label: string;
}

function Step({ n, text, done }: { n: number; text: string; done?: string }) {
  return (
    <View className={`step ${n === 1 ? 'step--first' : ''}`}>
      <Text className='step__num'>{n}</Text>
      <Text className='step__text'>{text}</Text>
      {done ? <Text className='step__done'>{done}</Text> : null}
    </View>
  );
}

/**
 * Building → unit → room, as three steps of big buttons (no GPS, no wheel picker).
 * Each list is loaded when the step before it is chosen.
 */
export function RoomPicker({ value, onChange, error }: { value: PickedRoom | null; onChange: (v: PickedRoom | null) => void; error?: string[] }) {
  const [buildings, setBuildings] = useState<BuildingView[] | null>(null);
  const [units, setUnits] = useState<UnitView[] | null>(null);
  const [rooms, setRooms] = useState<RoomView[] | null>(null);
  const [building, setBuilding] = useState<BuildingView | null>(null);
  const [unit, setUnit] = useState<UnitView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  useEffect(() => {
    Api.buildings()
      .then((r) => setBuildings(r.items))
      .catch((e: unknown) => setLoadError(messageOf(e)));
  }, []);

  function pickBuilding(id: string) {
    const b = buildings?.find((x) => x.id === id) ?? null;
    setBuilding(b);
    setUnit(null);
    setUnits(null);
    setRooms(null);
    onChange(null);
    if (!b) return;
    Api.units(b.id)
      .then((r) => setUnits(r.items))
      .catch((e: unknown) => setLoadError(messageOf(e)));
  }

  function pickUnit(id: string) {
    const u = units?.find((x) => x.id === id) ?? null;
    setUnit(u);
    setRooms(null);
    onChange(null);
    if (!u) return;
    Api.rooms(u.id)
      .then((r) => setRooms(r.items))
      .catch((e: unknown) => setLoadError(messageOf(e)));
  }

  function pickRoom(id: string) {
    const room = rooms?.find((x) => x.id === id);
    if (!room || !building || !unit) return;
    onChange({ room, label: `${building.name} ${unit.name} ${room.number}` });
  }

  return (
    <View className='room-picker' data-testid='room-picker'>
      <Notice tone='bad' text={loadError} />
      <Step n={1} text='选择楼栋' done={building?.name} />
      {buildings ? (
        buildings.length ? (
          <ChoiceGrid
            testId='pick-building'
            columns={3}
            options={buildings.map((b) => ({ value: b.id, label: b.name }))}
            value={building?.id}
            onChange={pickBuilding}
          />
        ) : (
          <Text className='p p--muted'>社区还没有录入楼栋，请联系社区工作人员。</Text>
        )
      ) : loadError ? null : (
        <Loading />
      )}

      {building ? (
        <>
          <Step n={2} text='选择单元' done={unit?.name} />
          {units ? (
            <ChoiceGrid
              testId='pick-unit'
              columns={3}
              options={units.map((u) => ({ value: u.id, label: u.name }))}
              value={unit?.id}
              onChange={pickUnit}
            />
          ) : (
            <Loading />
          )}
        </>
      ) : null}

      {unit ? (
        <>
          <Step n={3} text='选择房号' done={value?.room.number} />
          {rooms ? (
            rooms.length ? (
              <ChoiceGrid
                testId='pick-room'
                columns={3}
                options={rooms.map((r) => ({ value: r.id, label: r.number, hint: `${r.floor}层` }))}
                value={value?.room.id}
                onChange={pickRoom}
              />
            ) : (
              <Text className='p p--muted'>这个单元还没有录入房号。</Text>
            )
          ) : (
            <Loading />
          )}
        </>
      ) : null}
      <FieldError messages={error} testId='room-error' />
    </View>
  );
}
