import Database from 'better-sqlite3';
import { withStatementCache } from '../../src/registry/db';

describe('the SQLite registry prepares each statement once', () => {
  test('the same SQL text answers the statement prepared the first time', () => {
    const sqlite = new Database(':memory:');
    const db = withStatementCache(sqlite);
    db.prepare('create table t (x integer)').run([]);
    const insert = db.prepare('insert into t (x) values (?)');
    insert.run([1]);
    expect(db.prepare('insert into t (x) values (?)')).toBe(insert);
    db.prepare('insert into t (x) values (?)').run([2]);
    expect(db.prepare('select sum(x) as s from t').all([])).toEqual([{ s: 3 }]);
    db.close();
  });

  test('past its size the least recently used statement is dropped and prepared again when asked', () => {
    const sqlite = new Database(':memory:');
    const db = withStatementCache(sqlite, 2);
    const a = db.prepare('select 1');
    const b = db.prepare('select 2');
    expect(db.prepare('select 1')).toBe(a); // a is now the most recent; b the least
    db.prepare('select 3');
    expect(db.cached).toBe(2);
    expect(db.prepare('select 1')).toBe(a);
    expect(db.prepare('select 2')).not.toBe(b);
    db.close();
  });
});
