;; stdlib/service/Cache.wat — one LRU shared by N clients through a driver
;; thread that owns it (the cache never leaves that thread).
;;
;; A request is ((tag, key, Option<value>), reply-sender): tag 0 is get,
;; tag 1 is put. The driver answers every request on its reply sender:
;; the value for a get, :None for a put. It ends when every client is gone.

(:wat::core::use! :rust::crossbeam_channel::Sender)
(:wat::core::use! :rust::crossbeam_channel::Receiver)

(:wat::core::typealias :wat::std::service::Cache::Body<K,V> :(i64,K,Option<V>))
(:wat::core::typealias :wat::std::service::Cache::ReplyTx<V> :rust::crossbeam_channel::Sender<Option<V>>)
(:wat::core::typealias :wat::std::service::Cache::Request<K,V> :(wat::std::service::Cache::Body<K,V>,wat::std::service::Cache::ReplyTx<V>))
(:wat::core::typealias :wat::std::service::Cache::ReqTx<K,V> :rust::crossbeam_channel::Sender<wat::std::service::Cache::Request<K,V>>)
(:wat::core::typealias :wat::std::service::Cache::ReqRx<K,V> :rust::crossbeam_channel::Receiver<wat::std::service::Cache::Request<K,V>>)

(:wat::core::define (:wat::std::service::Cache/loop<K,V> (capacity :i64) (req-rxs :Vec<wat::std::service::Cache::ReqRx<K,V>>) -> :())
  ;; the cache is made here, on the driver's own thread, which owns it
  (:wat::std::service::Cache/loop-step (:wat::std::LocalCache::new capacity) req-rxs))

(:wat::core::define (:wat::std::service::Cache/loop-step<K,V> (cache :wat::std::LocalCache<K,V>) (req-rxs :Vec<wat::std::service::Cache::ReqRx<K,V>>) -> :())
  (:wat::core::if (:wat::core::empty? req-rxs) -> :()
    ()
    (:wat::core::let* (((which got) (:wat::kernel::select req-rxs)))
      (:wat::core::match got -> :()
        ((Some request)
          (:wat::core::let* (((body reply-to) request)
                             ((tag key value) body)
                             ((answer :Option<V>)
                              (:wat::core::if (:wat::core::= tag 0) -> :Option<V>
                                (:wat::std::LocalCache::get cache key)
                                (:wat::core::match value -> :Option<V>
                                  ((Some v) (:wat::core::let* (((_ :()) (:wat::std::LocalCache::put cache key v))) :None))
                                  (:None :None))))
                             ;; a client that stopped listening is not the driver's problem
                             ((_ :Option<()>) (:wat::kernel::send reply-to answer)))
            (:wat::std::service::Cache/loop-step cache req-rxs)))
        (:None (:wat::std::service::Cache/loop-step cache (:wat::std::list::remove-at req-rxs which)))))))

(:wat::core::define (:wat::std::service::Cache/get<K,V>
    (req-tx :wat::std::service::Cache::ReqTx<K,V>) (reply-tx :wat::std::service::Cache::ReplyTx<V>)
    (reply-rx :rust::crossbeam_channel::Receiver<Option<V>>) (key :K) -> :Option<V>)
  (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send req-tx (:wat::core::tuple (:wat::core::tuple 0 key :None) reply-tx))))
    ;; a driver that is gone answers nothing: that reads as a miss
    (:wat::core::match (:wat::kernel::recv reply-rx) -> :Option<V>
      ((Some answer) answer)
      (:None :None))))

(:wat::core::define (:wat::std::service::Cache/put<K,V>
    (req-tx :wat::std::service::Cache::ReqTx<K,V>) (reply-tx :wat::std::service::Cache::ReplyTx<V>)
    (reply-rx :rust::crossbeam_channel::Receiver<Option<V>>) (key :K) (value :V) -> :())
  (:wat::core::let* (((_ :Option<()>) (:wat::kernel::send req-tx (:wat::core::tuple (:wat::core::tuple 1 key (Some value)) reply-tx)))
                     ((_ :Option<Option<V>>) (:wat::kernel::recv reply-rx)))
    ()))

(:wat::core::define (:wat::std::service::Cache<K,V> (capacity :i64) (count :i64)
    -> :(wat::kernel::HandlePool<wat::std::service::Cache::ReqTx<K,V>>,wat::kernel::ProgramHandle<()>))
  (:wat::core::let* (((queues :Vec<(wat::std::service::Cache::ReqTx<K,V>,wat::std::service::Cache::ReqRx<K,V>)>)
                      (:wat::core::map (:wat::core::range 0 count)
                        (:wat::core::lambda ((_i :i64) -> :(wat::std::service::Cache::ReqTx<K,V>,wat::std::service::Cache::ReqRx<K,V>))
                          (:wat::kernel::make-bounded-queue :wat::std::service::Cache::Request<K,V> 1)))))
    (:wat::core::tuple
      (:wat::kernel::HandlePool::new "Cache" (:wat::core::map queues :wat::core::first))
      (:wat::kernel::spawn :wat::std::service::Cache/loop capacity (:wat::core::map queues :wat::core::second)))))
