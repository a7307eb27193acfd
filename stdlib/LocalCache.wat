;; stdlib/LocalCache.wat — a per-program LRU cache (:rust::lru::LruCache),
;; owned by the thread that made it.

(:wat::core::use! :rust::lru::LruCache)
(:wat::core::typealias :wat::std::LocalCache<K,V> :rust::lru::LruCache<K,V>)

(:wat::core::define (:wat::std::LocalCache::new<K,V> (capacity :i64) -> :wat::std::LocalCache<K,V>)
  (:rust::lru::LruCache::new capacity))

(:wat::core::define (:wat::std::LocalCache::put<K,V> (cache :wat::std::LocalCache<K,V>) (k :K) (v :V) -> :())
  (:rust::lru::LruCache::put cache k v))

(:wat::core::define (:wat::std::LocalCache::get<K,V> (cache :wat::std::LocalCache<K,V>) (k :K) -> :Option<V>)
  (:rust::lru::LruCache::get cache k))
